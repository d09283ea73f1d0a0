import { randomUUID } from 'node:crypto';
import { Application, type TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Route } from '../../src/ports/http.ts';
import { helpText } from '../../src/engine/commands/command-text.ts';
import { welcomeCard } from '../../src/messages/cards.ts';
import type { Commands } from '../../src/engine/engine.ts';
import type { Queries } from '../../src/engine/queries.ts';
import type { ChatPlatform } from '../../src/ports/chat.ts';
import { systemClock, type Clock } from '../../src/ports/clock.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { authSettings, outboundCredentials, type BotCredentials, type BotEndpoints } from './auth.ts';
import { teamsChat } from './chat.ts';
import { CheckedTeamsAdapter } from './checked-adapter.ts';
import { connectorOf } from './connector.ts';
import { connectorTransport } from './connector-transport.ts';
import { registerActions } from './handlers/actions.ts';
import { reply, type HandlerDeps } from './handlers/deps.ts';
import { registerForms } from './handlers/forms.ts';
import { onMessage } from './handlers/messages.ts';
import { recordInThread } from './handlers/thread-messages.ts';
import { messagesRoute } from './http-route.ts';
import { learnAddresses } from './learn.ts';
import { memoryReferenceStore, storedReferenceStore, type TeamsReferenceStore } from './references.ts';
import type { PlatformAddresses } from '../../src/ports/addresses.ts';

/** The public cloud's connector, for a first post before Teams has sent the bot anything. */
export const DEFAULT_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

export interface TeamsAdapterOptions {
  engine: Commands;
  queries: Queries;
  /** BOT_ID (required), BOT_PASSWORD, BOT_TYPE, BOT_TENANT_ID. */
  env: BotCredentials;
  /** Bot Framework endpoints for a sovereign cloud or a test harness; the public cloud's by default. */
  endpoints?: BotEndpoints;
  /** Connector URL for a first post before any activity has arrived (DEFAULT_SERVICE_URL). */
  serviceUrl?: string;
  logger: Logger;
  clock?: Clock;
  /** Where learnt channel and personal-chat addresses are kept: the database's addresses, given. */
  addresses?: PlatformAddresses;
  /** Or a reference store of the caller's own (tests); memory when neither is given. */
  store?: TeamsReferenceStore;
  /** Asks the scheduler to deliver queued cards now (the outbox otherwise waits for its tick). */
  kick?: () => void;
  /** Signs the bot's outbound calls; by default a client secret (BOT_PASSWORD) or managed identity. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** The messaging endpoint's path. */
  path?: string;
}

/**
 * Teams AI (1.7.4) starts its typing indicator on every message turn whatever `startTypingTimer`
 * says: a turn slower than a second (a busy machine) then sends a "typing" activity before the
 * answer. The engine answers at once or not at all, so the indicator is never started.
 */
class QuietApplication<State extends TurnState> extends Application<State> {
  override startTypingTimer(): void {}
}

/**
 * The Microsoft Teams adapter: Teams AI (on botbuilder's CloudAdapter) receives JWT-checked
 * activities on POST /api/messages and turns them into engine commands; the returned platform
 * lets the outbox post, reply, update and message people in Teams.
 */
export function teamsAdapter(opts: TeamsAdapterOptions): { routes: Route[]; platform: ChatPlatform } {
  const appId = opts.env.BOT_ID.trim();
  if (!appId) throw new Error('The Teams adapter needs BOT_ID');
  const { engine, queries, logger } = opts;
  const store = opts.store ?? (opts.addresses ? storedReferenceStore(opts.addresses) : memoryReferenceStore());
  const credentials = opts.credentialsFactory ?? outboundCredentials(opts.env, opts.endpoints);
  const adapter = new CheckedTeamsAdapter(authSettings(opts.env, opts.endpoints), credentials, undefined, {
    httpClient: connectorTransport(),
  });
  const app = new QuietApplication<TurnState>({
    adapter,
    botAppId: appId,
    // The engine owns all state; the typing indicator would be one more connector call per turn.
    startTypingTimer: false,
    // The record keeps a message as written, @mentions included.
    removeRecipientMention: false,
    longRunningMessages: false,
  });
  const deps: HandlerDeps = {
    engine,
    queries,
    logger,
    clock: opts.clock ?? systemClock,
    kick: opts.kick ?? (() => {}),
  };

  app.activity(ActivityTypes.Message, (ctx) => onMessage(ctx, deps));
  app.messageEventUpdate('editMessage', async (ctx) => void (await recordInThread(ctx, deps, 'edited')));
  app.messageEventUpdate('undeleteMessage', async (ctx) => void (await recordInThread(ctx, deps, 'edited')));
  app.messageEventUpdate('softDeleteMessage', async (ctx) => void (await recordInThread(ctx, deps, 'deleted')));
  registerActions(app, deps);
  registerForms(app, deps);
  // Added to a team or a personal chat: say what the bot is for and how to start.
  app.conversationUpdate('membersAdded', async (ctx) => {
    const added = ctx.activity.membersAdded ?? [];
    if (!added.some((m) => m.id === ctx.activity.recipient?.id)) return;
    const where =
      ctx.activity.conversation?.conversationType === 'personal'
        ? '`missing <child>`'
        : '`@Missing bot missing <child>`';
    await reply(ctx, welcomeCard(where, helpText('missing')), logger);
  });

  const logic = async (ctx: TurnContext) => {
    try {
      // Best effort: an address not kept now (the database away) is learnt from the next activity;
      // the activity itself must not be lost for it.
      await learnAddresses(store, ctx.activity).catch((error: unknown) =>
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'teams: address not kept'),
      );
      await app.run(ctx);
    } catch (error) {
      const correlationId = randomUUID().slice(0, 8);
      logger.error(
        { correlationId, activityType: ctx.activity.type, err: error instanceof Error ? error.message : String(error) },
        'teams: activity failed',
      );
      // Teams would otherwise re-send it; anything the engine recorded is already committed.
      if (ctx.activity.type === ActivityTypes.Invoke)
        await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 500 } });
    }
  };

  return {
    routes: [messagesRoute({ adapter, logic, logger, path: opts.path ?? '/api/messages' })],
    platform: teamsChat({
      connector: connectorOf(adapter, appId),
      appId,
      references: store,
      defaults: { serviceUrl: opts.serviceUrl ?? DEFAULT_SERVICE_URL, tenantId: opts.env.BOT_TENANT_ID },
      logger,
    }),
  };
}
