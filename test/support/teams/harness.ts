import { storedAddresses } from '../../../src/store/addresses.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { teamsAdapter, type TeamsAdapterOptions } from '../../../adapters/teams/index.ts';
import type { ChatPlatform } from '../../../src/ports/chat.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import { deliverOutbox } from '../../../src/scheduler/deliver-outbox.ts';
import { startTestBot, type TestBot } from '../bot.ts';
import { homesYaml } from './activities.ts';
import { APP_ID, CONNECTOR, FixedTokenCredentials, OUTBOUND_TOKEN, SERVICE_URL } from './bot-framework.ts';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  context: Record<string, unknown>;
  message: string;
}

/** The Teams adapter on a real engine and database, behind a real HTTP server on loopback. */
export interface TeamsTest {
  bot: TestBot;
  platform: ChatPlatform;
  url: string;
  logs: LogLine[];
  /** Connector requests nock had no answer for: a test fails if any were made. */
  unmatched: string[];
  /** POSTs an activity to /api/messages with `Authorization: Bearer <token>` (none if null). */
  post(activity: unknown, token: string | null): Promise<{ status: number; body: unknown }>;
  /** One outbox delivery run through the Teams platform, as the scheduler's tick does it. */
  deliver(): Promise<Awaited<ReturnType<typeof deliverOutbox>>>;
  close(): Promise<void>;
}

export async function startTeamsTest(
  /** `bot`: another adapter on the same bot and database (a second instance, or one after a restart). */
  opts: { at?: string; adapter?: Partial<TeamsAdapterOptions>; bot?: TestBot; homes?: string } = {},
): Promise<TeamsTest> {
  const bot =
    opts.bot ?? (await startTestBot({ at: opts.at ?? '2026-11-20T22:10:00Z', homesYaml: opts.homes ?? homesYaml }));
  const logs: LogLine[] = [];
  const logger: Logger = {
    info: (context, message) => logs.push({ level: 'info', context, message }),
    warn: (context, message) => logs.push({ level: 'warn', context, message }),
    error: (context, message) => logs.push({ level: 'error', context, message }),
  };
  const { routes, platform } = teamsAdapter({
    engine: bot.engine,
    queries: bot.queries,
    env: { BOT_ID: APP_ID },
    logger,
    clock: bot.clock,
    credentialsFactory: new FixedTokenCredentials(),
    // Learnt addresses in the database, as the bot keeps them.
    addresses: storedAddresses(bot.store, 'teams', () => bot.clock.now()),
    ...opts.adapter,
  });
  const server = http.createServer(async (req, res) => {
    for (const route of routes) if (await route(req, res)) return;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; path?: string; href?: string }) => {
    if (!String(req.href ?? req.path).includes('127.0.0.1')) unmatched.push(`${req.method} ${req.href ?? req.path}`);
  };
  nock.emitter.on('no match', onNoMatch);

  return {
    bot,
    platform,
    url,
    logs,
    unmatched,
    async post(activity, token) {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // plain text (401, 405)
      }
      return { status: response.status, body };
    },
    deliver: () =>
      deliverOutbox({ store: bot.store, clock: bot.clock, logger, platforms: new Map([['teams', platform]]) }, 'test'),
    async close() {
      nock.emitter.off('no match', onNoMatch);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!opts.bot) await bot.close();
    },
  };
}

/** The path of a conversation's activities (or of one activity) at the test serviceUrl. */
export function activitiesPath(conversationId: string, activityId?: string): string {
  const base = `${new URL(SERVICE_URL).pathname}v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  return activityId ? `${base}/${activityId}` : base;
}
export const conversationsPath = () => `${new URL(SERVICE_URL).pathname}v3/conversations`;

/**
 * Expects one connector call (signed with the bot's token) and answers it; returns the list its
 * request body lands in.
 */
export function expectCall(
  method: 'post' | 'put',
  path: string,
  status: number,
  reply: unknown,
  headers: Record<string, string> = {},
): unknown[] {
  const bodies: unknown[] = [];
  const capture = (body: unknown) => (bodies.push(body), true);
  const scope = nock(CONNECTOR);
  (method === 'post' ? scope.post(path, capture) : scope.put(path, capture))
    .matchHeader('authorization', OUTBOUND_TOKEN)
    .reply(status, reply as nock.Body, headers);
  return bodies;
}

export interface ThreadCall {
  method: 'POST' | 'PUT';
  /** The activity updated (PUT) or the id Teams gave the new reply (POST). */
  activityId: string;
  body: { attachments?: unknown[] } & Record<string, unknown>;
}

/**
 * Answers every post and update in one reply chain until stopped, recording them in order: for
 * steps where the engine queues several cards at once.
 */
export function threadTraffic(conversationId: string, firstId = 1700000000300) {
  const calls: ThreadCall[] = [];
  let next = firstId;
  const base = activitiesPath(conversationId);
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const post = nock(CONNECTOR).persist().post(base).matchHeader('authorization', OUTBOUND_TOKEN);
  post.reply(201, (_uri, body) => {
    const activityId = String(next++);
    calls.push({ method: 'POST', activityId, body: body as ThreadCall['body'] });
    return { id: activityId };
  });
  const put = nock(CONNECTOR)
    .persist()
    .put(new RegExp(`^${escaped}/[^/]+$`))
    .matchHeader('authorization', OUTBOUND_TOKEN);
  put.reply(200, (uri, body) => {
    const activityId = uri.split('/').at(-1)!;
    calls.push({ method: 'PUT', activityId, body: body as ThreadCall['body'] });
    return { id: activityId };
  });
  return {
    calls,
    stop() {
      nock.removeInterceptor(post);
      nock.removeInterceptor(put);
    },
  };
}

/**
 * Answers every personal message (opening the one-to-one chat first when needed) until stopped:
 * for steps where the engine may also tell someone directly.
 */
export function personalTraffic() {
  const sent: { to: unknown; body: ThreadCall['body'] }[] = [];
  const updated: { chat: string; activityId: string; body: ThreadCall['body'] }[] = [];
  const chats = new Map<string, unknown>();
  let next = 1;
  const base = conversationsPath();
  const open = nock(CONNECTOR).persist().post(base).matchHeader('authorization', OUTBOUND_TOKEN);
  open.reply(201, (_uri, body) => {
    const id = `a:1chat-${next++}`;
    chats.set(id, (body as { members?: { id: string }[] }).members?.[0]?.id);
    return { id };
  });
  const post = nock(CONNECTOR)
    .persist()
    .post(new RegExp(`^${base}/a%3A[^/]+/activities$`))
    .matchHeader('authorization', OUTBOUND_TOKEN);
  post.reply(201, (uri, body) => {
    const chat = decodeURIComponent(uri.split('/').at(-2)!);
    sent.push({ to: chats.get(chat) ?? chat, body: body as ThreadCall['body'] });
    return { id: `dm-${next++}` };
  });
  const put = nock(CONNECTOR)
    .persist()
    .put(new RegExp(`^${base}/a%3A[^/]+/activities/[^/]+$`))
    .matchHeader('authorization', OUTBOUND_TOKEN);
  put.reply(200, (uri, body) => {
    const parts = uri.split('/');
    const activityId = parts.at(-1)!;
    updated.push({ chat: decodeURIComponent(parts.at(-3)!), activityId, body: body as ThreadCall['body'] });
    return { id: activityId };
  });
  return {
    sent,
    /** Personal messages updated in place (a decided approval's copy), by chat and activity id. */
    updated,
    stop() {
      nock.removeInterceptor(open);
      nock.removeInterceptor(post);
      nock.removeInterceptor(put);
    },
  };
}
