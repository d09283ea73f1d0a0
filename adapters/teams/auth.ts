import { ConfidentialClientApplication } from '@azure/msal-node';
import { CallerIdConstants, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import {
  AuthenticationConstants,
  MsalServiceClientCredentialsFactory,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';

/** The bot's identity, from the env names Teams Toolkit projects use. */
export interface BotCredentials {
  BOT_ID: string;
  BOT_PASSWORD?: string | undefined;
  /** `MultiTenant` (default), `SingleTenant` or `UserAssignedMsi`. */
  BOT_TYPE?: string | undefined;
  BOT_TENANT_ID?: string | undefined;
}

/**
 * The Bot Framework endpoints, for a sovereign cloud or a test harness standing in for Microsoft's.
 * Each maps to a `ConfigurationBotFrameworkAuthentication` setting (named in the comments).
 */
export interface BotEndpoints {
  /** ToBotFromChannelOpenIdMetadataUrl: where the keys that sign inbound activities are published. */
  openIdMetadataUrl?: string | undefined;
  /** ToBotFromChannelTokenIssuer: the `iss` an inbound token must carry. */
  tokenIssuer?: string | undefined;
  /** ToChannelFromBotLoginUrl: the authority the bot gets its outbound tokens from. */
  loginUrl?: string | undefined;
  /** ToChannelFromBotOAuthScope: the audience of the bot's outbound tokens. */
  oauthScope?: string | undefined;
  /** ChannelService: botbuilder's shortcut for the US Government cloud (https://botframework.azure.us). */
  channelService?: string | undefined;
}

/**
 * The settings for botbuilder's authentication. botbuilder treats any one endpoint setting as
 * "all are given", leaving the rest empty (and every request unauthorised), so the ones not set
 * here are filled with the public cloud's.
 */
export function authSettings(
  credentials: BotCredentials,
  endpoints: BotEndpoints = {},
): ConfigurationBotFrameworkAuthenticationOptions {
  const identity: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: credentials.BOT_ID,
    ...(credentials.BOT_PASSWORD ? { MicrosoftAppPassword: credentials.BOT_PASSWORD } : {}),
    ...(credentials.BOT_TYPE ? { MicrosoftAppType: credentials.BOT_TYPE } : {}),
    ...(credentials.BOT_TENANT_ID ? { MicrosoftAppTenantId: credentials.BOT_TENANT_ID } : {}),
  };
  const { openIdMetadataUrl, tokenIssuer, loginUrl, oauthScope, channelService } = endpoints;
  if (!openIdMetadataUrl && !tokenIssuer && !loginUrl && !oauthScope)
    return { ...identity, ...(channelService ? { ChannelService: channelService } : {}) };
  return {
    ...identity,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToChannelFromBotLoginUrl: loginUrl ?? AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: oauthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * The bot's outbound credentials when a custom login authority is configured (BOT_LOGIN_URL, a
 * sovereign cloud or an offline harness) with a client secret: MSAL is told to trust that
 * authority as configured, rather than asking Microsoft's instance discovery to vouch for it, so
 * no request goes to a Microsoft host. Otherwise undefined: botbuilder's own choice.
 */
export function outboundCredentials(
  credentials: BotCredentials,
  endpoints: BotEndpoints = {},
): ServiceClientCredentialsFactory | undefined {
  if (!endpoints.loginUrl || !credentials.BOT_PASSWORD) return undefined;
  const authority = endpoints.loginUrl.replace(/\/+$/, '');
  const client = new ConfidentialClientApplication({
    auth: {
      clientId: credentials.BOT_ID,
      clientSecret: credentials.BOT_PASSWORD,
      authority,
      knownAuthorities: [new URL(authority).host],
    },
  });
  // The same MSAL class, declared twice by its package (ESM and CommonJS typings).
  type Client = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];
  return new MsalServiceClientCredentialsFactory(credentials.BOT_ID, client as unknown as Client);
}
