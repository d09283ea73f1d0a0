import { EventEmitter } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { downloadRoute } from '../adapters/web/downloads.ts';
import { webChat } from '../adapters/web/web-chat.ts';
import { webPlayground } from '../adapters/web/routes.ts';
import { playgroundEnabled, slackSettings, teamsSettings, type Env } from './config/env.ts';
import { loadHomesFile } from './config/homes.ts';
import type { Platform } from './domain/episode.ts';
import { createEngine, type Commands, type Engine } from './engine/engine.ts';
import type { Result } from './engine/base/context.ts';
import { createQueries, type Queries } from './engine/queries.ts';
import type { ChatPlatform } from './ports/chat.ts';
import type { Clock } from './ports/clock.ts';
import type { Route } from './ports/http.ts';
import type { Logger } from './ports/logger.ts';
import type { Store } from './ports/store.ts';
import { storedAddresses } from './store/addresses.ts';
import { protocols } from './protocol/protocols.ts';
import { deliverOutbox } from './scheduler/deliver-outbox.ts';
import { startTicker, type Ticker } from './scheduler/ticker.ts';
import { drawPool } from './workers/draw-pool.ts';
import { openDatabase } from './store/database.ts';
import { fileHeldCommands, heldCommandsFileName } from './store/held-commands-file.ts';
import { prismaStore } from './store/prisma-store.ts';
import { syncHomes } from './store/sync-homes.ts';
import { prismaTimeline } from './store/timeline.ts';

/** A running bot: its engine, store, schedule and HTTP server. */
export interface App {
  engine: Engine;
  queries: Queries;
  store: Store;
  ticker: Ticker;
  server: http.Server;
  url: string;
  stop(): Promise<void>;
}

/**
 * Wires the bot together. The composition root (main.ts) supplies the env, clock, logger and any
 * enabled chat platforms; tests supply their own.
 */
export async function startApp(opts: {
  env: Env;
  clock: Clock;
  logger: Logger;
  platforms?: Map<Platform, ChatPlatform>;
  routes?: Route[];
  startTicking?: boolean;
}): Promise<App> {
  const { env, clock, logger } = opts;
  const homes = loadHomesFile(env.HOMES_FILE, protocols);
  // Each chat platform's libraries (Bolt; botbuilder, Teams AI and MSAL) are loaded only when that
  // platform is configured — together they are most of the bot's memory at start — and before
  // anything is scheduled, so the first tick finds every platform there to deliver to.
  const slackConfig = slackSettings(env);
  const teamsConfig = teamsSettings(env);
  const [slackModule, teamsModule] = await Promise.all([
    slackConfig ? import('../adapters/slack/index.ts') : null,
    teamsConfig ? import('../adapters/teams/index.ts') : null,
  ]);
  const database = await openDatabase({
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    dataDir: env.DATA_DIR,
  });
  await syncHomes(database, homes);
  const store = prismaStore(database);
  // Exports are drawn on a worker thread, so a long record never holds up an acknowledgement.
  const exportsWorker = drawPool();
  const engineDeps = {
    store,
    clock,
    protocols,
    drawer: exportsWorker.draw,
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
  };
  const queries = createQueries(engineDeps);
  const engine = createEngine({
    ...engineDeps,
    logger,
    // Commands that arrive while the database is unavailable wait here, on disk, until it is back.
    held: fileHeldCommands(path.join(env.DATA_DIR, heldCommandsFileName), (line) =>
      logger.warn({ line }, 'skipped an unreadable line of the held commands'),
    ),
  });
  const platforms = opts.platforms ?? new Map<Platform, ChatPlatform>();
  const routes: Route[] = [...(opts.routes ?? [])];
  // Anything that changes what a page shows (deliveries, commands) is announced here.
  const changes = new EventEmitter().setMaxListeners(0);
  const ticker = startTicker({
    engine,
    deliver: async () => {
      const run = await deliverOutbox({ store, clock, logger, platforms }, env.INSTANCE_ID);
      if (run.delivered > 0) changes.emit('change');
      return run;
    },
    instanceId: env.INSTANCE_ID,
    logger,
    everySeconds: env.TICK_SECONDS,
    now: () => clock.now(),
  });
  if (opts.startTicking === false) await ticker.stop();
  // What adapters call: after a command that queued cards, deliver them now, not at the next tick.
  let stopping = false;
  const delivered = (result: Result) => {
    // Not while stopping: a tick started then would outlive the store it uses.
    if (result.ok && !result.duplicate && !result.queuedNothing && !stopping) void ticker.deliverNow();
    return result;
  };
  // What adapters are applying right now (a Slack command is applied after Slack is answered):
  // stopping waits for them, so an export being drawn is finished and handed over, not lost.
  const underWay = new Set<Promise<unknown>>();
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    underWay.add(work);
    void work.finally(() => underWay.delete(work)).catch(() => {});
    return work;
  };
  const commands: Commands = {
    execute: async (input) => delivered(await tracked(engine.execute(input))),
    async receive(input) {
      const receipt = await engine.receive(input);
      return { apply: async () => delivered(await tracked(receipt.apply())) };
    },
  };

  const slack =
    slackConfig && slackModule
      ? slackModule.slackAdapter(slackConfig, { engine: commands, queries, clock, logger })
      : null;
  if (slack) {
    platforms.set('slack', slack.platform);
    routes.push(...slack.routes);
  }
  if (teamsConfig && teamsModule) {
    const addresses = storedAddresses(store, 'teams', () => clock.now());
    const teams = teamsModule.teamsAdapter({ ...teamsConfig, engine: commands, queries, logger, clock, addresses });
    platforms.set('teams', teams.platform);
    routes.push(...teams.routes);
  }
  if (playgroundEnabled(env)) {
    platforms.set('web', webChat());
    routes.push(webPlayground({ engine: commands, queries, timeline: prismaTimeline(database), changes, clock }));
  }
  // One-time download links for exported files, whichever adapters are on.
  routes.push(downloadRoute(queries));
  routes.push(
    healthRoute(store, ticker, clock, env.TICK_SECONDS, () =>
      slack ? { slack: slack.connection() } : ({} as Record<string, never>),
    ),
  );
  const server = http.createServer(async (req, res) => {
    try {
      for (const route of routes) if (await route(req, res)) return;
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    } catch (error) {
      logger.error(
        { err: error instanceof Error ? error.message : String(error), path: req.url?.split('?')[0] },
        'request failed',
      );
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Something went wrong\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  await slack?.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`;

  return {
    engine,
    queries,
    store,
    ticker,
    server,
    url,
    async stop() {
      stopping = true;
      await slack?.stop();
      // Requests under way finish first (what they apply is in the record), then the last tick.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.race([Promise.allSettled([...underWay]), new Promise((r) => setTimeout(r, 30_000).unref())]);
      await ticker.stop();
      await exportsWorker.close();
      await store.close();
    },
  };
}

/**
 * GET /healthz: the database answers and the scheduler is ticking (else 503), and where each chat
 * platform stands in words. A platform that is down does not make the bot unhealthy: it goes on
 * recording and scheduling, and delivers once the platform is back.
 */
function healthRoute(
  store: Store,
  ticker: Ticker,
  clock: Clock,
  tickSeconds: number,
  platforms: () => Record<string, { state: string; detail: string }>,
): Route {
  return async (req, res) => {
    if (req.url?.split('?')[0] !== '/healthz') return false;
    let database = 'ok';
    try {
      await store.ping();
      try {
        await store.probeWrite(clock.now());
      } catch {
        // Readable but not writable (SQLite locked by another process): entries are being held.
        database = 'writes failing';
      }
    } catch {
      database = 'unreachable';
    }
    const last = ticker.lastTickAt();
    const lagSeconds = last ? Math.round((clock.now().getTime() - last.getTime()) / 1000) : null;
    // Before the first tick there is no lag to report; after it, three missed ticks is unhealthy.
    const schedulerOk = lagSeconds === null || lagSeconds <= tickSeconds * 3;
    const healthy = database === 'ok' && schedulerOk;
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        status: healthy ? 'ok' : 'unhealthy',
        database,
        schedulerLagSeconds: lagSeconds,
        platforms: platforms(),
      }),
    );
    return true;
  };
}
