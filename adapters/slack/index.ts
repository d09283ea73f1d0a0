import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { Route } from '../../src/ports/http.ts';
import type { Commands } from '../../src/engine/engine.ts';
import type { Queries } from '../../src/engine/queries.ts';
import type { ChatPlatform } from '../../src/ports/chat.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerHandlers } from './handlers.ts';
import { boltCanTake, fromTheFuture, readBody, signedBySlack, threadMessageEvent } from './request-shape.ts';
import { recordThreadMessage } from './thread-messages.ts';
import { slackNames } from './names.ts';
import { slackChat } from './slack-chat.ts';
import { watchSlackConnection, type SlackConnection } from './connection.ts';

/** The Slack settings this adapter reads (see README: SLACK_*). */
export interface SlackSettings {
  botToken: string;
  signingSecret: string;
  /** Socket Mode instead of HTTP when set. */
  appToken?: string;
  /** Another Web API base URL (proxy, GovSlack, a local stand-in). */
  apiUrl?: string;
  /** Known bot identity: skips the auth.test call Bolt otherwise makes at start. */
  botId?: string;
  botUserId?: string;
}

export interface SlackAdapter {
  routes: Route[];
  platform: ChatPlatform;
  /** Where the bot stands with Slack (for /healthz). */
  connection(): SlackConnection;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The path Slack posts events, commands and interactions to (Request URL in the manifest). */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Slack through a real Bolt app. Over HTTP, Bolt's receiver is mounted on the bot's one server
 * at /slack/events: it checks signatures, acks at once, and the work runs after the ack — except
 * for messages in an episode's thread, which are recorded before the answer (see the route).
 */
export function slackAdapter(
  settings: SlackSettings,
  deps: { engine: Commands; queries: Queries; clock: Clock; logger: Logger },
): SlackAdapter {
  const clientOptions = {
    // The outbox retries with backoff; the client's own retries would hold a delivery for ~30 min.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    ...(settings.apiUrl
      ? { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` }
      : {}),
  };
  // Bolt's own log lines go through the bot's logger (captured and redacted), not to the console.
  const logger = boltLogger(deps.logger);
  const http = settings.appToken
    ? null
    : new HTTPReceiver({
        signingSecret: settings.signingSecret,
        processBeforeResponse: false,
        logger,
        logLevel: LogLevel.WARN,
      });
  const receiver = http ?? new SocketModeReceiver({ appToken: settings.appToken!, logger, logLevel: LogLevel.WARN });
  const app = new App({
    receiver,
    token: settings.botToken,
    clientOptions,
    logger,
    logLevel: LogLevel.WARN,
    // Bolt would check the token in its constructor, and an unreachable or refusing Slack then
    // ends the process: the check runs in the background instead (connection.ts).
    tokenVerificationEnabled: false,
    ...(settings.botId && settings.botUserId ? { botId: settings.botId, botUserId: settings.botUserId } : {}),
  });
  const connection = watchSlackConnection(app.client, deps.logger);
  const names = slackNames(app.client);
  // Names asked for after a thread message was recorded: waited for (briefly) when the bot stops,
  // so none is written to a closed store.
  const pending = new Set<Promise<unknown>>();
  const later = (work: Promise<unknown>) => {
    const tracked = work.catch(() => undefined).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  registerHandlers(app, { ...deps, names, later });
  app.error(async (error) => {
    deps.logger.error({ err: error.message, code: (error as { code?: string }).code }, 'slack listener failed');
  });

  const route: Route = async (req, res) => {
    if (!http || req.url?.split('?')[0] !== SLACK_EVENTS_PATH) return false;
    // Read here so a body Bolt cannot take is answered now (see request-shape.ts); Bolt gets the same bytes.
    const body = await readBody(req);
    if (body === null) return (res.writeHead(413).end(), true);
    if (!boltCanTake(body, req.headers['content-type'])) return (res.writeHead(400).end(), true);
    // Bolt refuses a signature older than five minutes; one from the future is refused here.
    if (fromTheFuture(req.headers['x-slack-request-timestamp'])) return (res.writeHead(401).end(), true);
    const message = threadMessageEvent(body, req.headers['content-type']);
    if (message) {
      // A thread message is written to the record before Slack is answered: Slack never sends an
      // event again once it has its 200, so a crash after the answer would lose it for good.
      if (!signedBySlack(settings.signingSecret, body, req.headers)) return (res.writeHead(401).end(), true);
      const outcome = await recordThreadMessage({ ...deps, names, later }, app.client, message.event, message.eventId);
      res.writeHead(outcome === 'done' ? 200 : 500).end();
      return true;
    }
    http.requestListener(Object.assign(req, { rawBody: body }), res);
    return true;
  };
  return {
    routes: [route],
    platform: slackChat(app.client),
    connection: () => connection.current(),
    // Over HTTP there is nothing to start: the route is on the bot's server already.
    start: async () => {
      if (!http) await app.start();
    },
    stop: async () => {
      connection.stop();
      await Promise.race([
        Promise.allSettled([...pending]),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ]);
      if (!http) await app.stop();
    },
  };
}
