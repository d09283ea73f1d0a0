// Shared pieces of the benchmark: a home with as many children as a measurement needs, a local
// stand-in for Slack's Web API and response URLs (loopback only), request signing, percentiles.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseHomes } from '../../src/config/homes.ts';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { createQueries, type Queries } from '../../src/engine/queries.ts';
import type { Clock } from '../../src/ports/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { Store } from '../../src/ports/store.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { syncHomes } from '../../src/store/sync-homes.ts';

export const SIGNING_SECRET = 'bench-signing-secret';
export const BOT_TOKEN = 'xoxb-bench';
export const CHANNEL = 'C0BENCH';
export const users = { sam: 'U0SAM', jo: 'U0JO' } as const;

/** Child aliases C00001, C00002, … */
export const aliasOf = (i: number) => `C${String(i + 1).padStart(5, '0')}`;

/** Children per home in the bench's homes (a big children's home; SQLite also caps query parameters). */
export const CHILDREN_PER_HOME = 50;

/** The home of the i-th child (by aliasOf index): its Slack channel and support worker. */
export function homeOf(i: number) {
  const k = Math.floor(i / CHILDREN_PER_HOME);
  const suffix = k === 0 ? '' : String(k);
  return {
    id: k === 0 ? 'bench-house' : `bench-house-${k}`,
    channel: `${CHANNEL}${suffix}`,
    web: k === 0 ? 'bench-house' : `bench-house-${k}`,
    sam: { id: `sam${suffix}`, slack: `${users.sam}${suffix}`, web: `sam${suffix}` },
    jo: { id: `jo${suffix}`, slack: `${users.jo}${suffix}`, web: `jo${suffix}` },
  };
}

/**
 * Homes on Slack and the web holding `children` children (aliases from aliasOf, 50 to a home),
 * each with a manager on call and a support worker, and no shift changes, so no handover traffic
 * mixes into a measurement. The first home is `bench-house` (channel C0BENCH, users U0SAM, U0JO).
 */
export function benchHomesYaml(children: number): string {
  const homes = Array.from({ length: Math.ceil(children / CHILDREN_PER_HOME) }, (_, k) => {
    const home = homeOf(k * CHILDREN_PER_HOME);
    const first = k * CHILDREN_PER_HOME;
    const count = Math.min(CHILDREN_PER_HOME, children - first);
    return {
      id: home.id,
      name: `Bench House ${k + 1}`,
      timeZone: 'Europe/London',
      shiftChanges: [],
      channels: { slack: home.channel, web: home.web },
      onCall: [home.sam.id],
      staff: [
        { id: home.sam.id, name: 'Sam Okafor', role: 'manager', slack: home.sam.slack, web: home.sam.web },
        { id: home.jo.id, name: 'Jo Reid', role: 'support_worker', slack: home.jo.slack, web: home.jo.web },
      ],
      children: Array.from({ length: count }, (_, i) => ({
        id: aliasOf(first + i).toLowerCase(),
        alias: aliasOf(first + i),
      })),
    };
  });
  return JSON.stringify({ homes }); // JSON is YAML
}

export const webChannel = { platform: 'web', channelRef: 'bench-house' } as const;
export const webJo = { platform: 'web', userId: 'jo' } as const;

/** A fresh temp folder, removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${prefix}-`));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clock that stands still at `at` (or moves only when told). */
export class StillClock implements Clock {
  constructor(private at: Date) {}
  now() {
    return new Date(this.at);
  }
  set(at: Date) {
    this.at = at;
  }
}

/** Signs a request body the way Slack does. */
export function slackSignature(body: string, ts = Math.floor(Date.now() / 1000)) {
  const signature = 'v0=' + createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature };
}

/**
 * A loopback stand-in for the Slack Web API (/api/*) and response URLs (/commands/*); GET /stats
 * answers the Web API calls so far, by method.
 */
export interface SlackStandIn {
  url: string;
  /** Web API calls by method. */
  calls: Map<string, number>;
  /** Response-URL posts received (one per answered slash command). */
  responses(): number;
  /** Of those, answers saying the command could not be carried out (or not yet). */
  failedReplies(): number;
  /** When (performance.now()) the answer to each response URL path came, since the last `forgetAnswers`. */
  answeredAt: Map<string, number>;
  forgetAnswers(): void;
  close(): Promise<void>;
}

export async function startSlackStandIn(): Promise<SlackStandIn> {
  const calls = new Map<string, number>();
  let responses = 0;
  let failedReplies = 0;
  const answeredAt = new Map<string, number>();
  let ts = 1_700_000_000;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      if (url === '/stats') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Object.fromEntries(calls)));
        return;
      }
      if (url.startsWith('/commands/')) {
        responses += 1;
        if (!answeredAt.has(url)) answeredAt.set(url, performance.now());
        // A command the bot could not carry out is answered too; count those apart.
        if (/went wrong|Recording is delayed/.test(Buffer.concat(chunks).toString())) failedReplies += 1;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
      calls.set(method, (calls.get(method) ?? 0) + 1);
      const body: Record<string, unknown> = { ok: true };
      if (method === 'auth.test') Object.assign(body, { user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0BENCH' });
      if (method === 'chat.postMessage') Object.assign(body, { channel: CHANNEL, ts: `${++ts}.000100` });
      if (method === 'users.info') Object.assign(body, { user: { id: 'U0', profile: { display_name: 'Staff' } } });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    responses: () => responses,
    failedReplies: () => failedReplies,
    answeredAt,
    forgetAnswers: () => answeredAt.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The p-th percentile (0–100) of some numbers, by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Resolves when `check` holds, or rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Milliseconds since `start` (from performance.now()). */
export const since = (start: number) => performance.now() - start;

/** A bot's engine on a fresh database (SQLite in a temp folder unless a URL is given), no chat. */
export interface BenchBot {
  database: Database;
  store: Store;
  engine: Engine;
  queries: Queries;
  clock: StillClock;
  close(): Promise<void>;
}

export async function openBenchBot(opts: {
  children: number;
  at: Date;
  databaseUrl?: string;
  /** Another homes file instead of the bench's homes of 50 children each. */
  homesYaml?: string;
}): Promise<BenchBot> {
  const database = await openDatabase({
    dataDir: tempDir('db'),
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
  });
  await syncHomes(database, parseHomes(opts.homesYaml ?? benchHomesYaml(opts.children), 'bench.yaml', protocols));
  const store = prismaStore(database);
  const clock = new StillClock(opts.at);
  const engine = createEngine({ store, clock, protocols, logger: silentLogger });
  const queries = createQueries({ store, clock, protocols });
  return { database, store, engine, queries, clock, close: () => store.close() };
}

/** Opens an episode for a child through the engine and gives it a thread, as if its root card were posted. */
export async function openWithThread(bot: BenchBot, alias: string): Promise<{ episodeId: string; threadRef: string }> {
  const result = await bot.engine.execute({ type: 'open_episode', actor: webJo, channel: webChannel, child: alias });
  if (!result.ok || !result.episodeId) throw new Error(`could not open an episode for ${alias}`);
  const episodeId = result.episodeId;
  const threadRef = `bench-house/${episodeId}`;
  await bot.store.transaction((tx) => tx.episodes.update(episodeId, { threadRef }));
  return { episodeId, threadRef };
}
