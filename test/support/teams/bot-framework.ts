import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import nock from 'nock';
import { ServiceClientCredentialsFactory, type ServiceClientCredentials } from 'botframework-connector';

/** The bot's Entra app id in these tests. */
export const APP_ID = '5b2f0c1e-8d4a-4e6b-9a7c-3f1d2e4b6a80';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
export const CONNECTOR = 'https://smba.trafficmanager.net';
export const OUTBOUND_TOKEN = 'Bearer outbound-test-token';

/** Microsoft's public-cloud Bot Framework endpoints (what botbuilder uses by default). */
export const PUBLIC_CLOUD = {
  host: 'https://login.botframework.com',
  metadataPath: '/v1/.well-known/openidconfiguration',
  keysPath: '/v1/.well-known/keys',
  issuer: 'https://api.botframework.com',
};

/** A signing key of our own, published as the Bot Framework's in the nocked JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: { kty: string; n: string; e: string };
}

export function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { kid, privateKey, jwk: { kty: 'RSA', n, e } };
}

/**
 * Serves OpenID metadata and a JWKS holding `keys` at a host, as login.botframework.com does.
 * Persisted: botbuilder caches the metadata per URL for the life of the process.
 */
export function publishKeys(
  keys: SigningKey[],
  at: { host: string; metadataPath: string; keysPath: string; issuer: string } = PUBLIC_CLOUD,
) {
  nock(at.host)
    .persist()
    .get(at.metadataPath)
    .reply(200, {
      issuer: at.issuer,
      authorization_endpoint: 'https://invalid.botframework.com',
      jwks_uri: `${at.host}${at.keysPath}`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    })
    .get(at.keysPath)
    .reply(200, {
      keys: keys.map((k) => ({ ...k.jwk, use: 'sig', kid: k.kid, x5t: k.kid, endorsements: ['msteams'] })),
    });
}

/** A token as the Teams channel signs it: issuer, audience = our app id, the serviceurl claim. */
export function channelToken(
  key: SigningKey,
  claims: { serviceurl?: string; audience?: string; issuer?: string; expiresIn?: number } = {},
): string {
  return jwt.sign({ serviceurl: claims.serviceurl ?? SERVICE_URL }, key.privateKey, {
    algorithm: 'RS256',
    keyid: key.kid,
    issuer: claims.issuer ?? PUBLIC_CLOUD.issuer,
    audience: claims.audience ?? APP_ID,
    expiresIn: claims.expiresIn ?? 300,
  });
}

/**
 * Signs the bot's outbound calls with a fixed token instead of a round-trip to Entra ID, so
 * every connector request in a test can be matched on its Authorization header.
 */
export class FixedTokenCredentials extends ServiceClientCredentialsFactory {
  override async isValidAppId(appId: string) {
    return appId === APP_ID;
  }
  override async isAuthenticationDisabled() {
    return false;
  }
  override async createCredentials(): Promise<ServiceClientCredentials> {
    return {
      signRequest: async (request) => {
        request.headers.set('Authorization', OUTBOUND_TOKEN);
        return request;
      },
    } as ServiceClientCredentials;
  }
}
