import { demoHomesFile } from '../../src/config/env.ts';
import { loadHomesFile, parseHomes } from '../../src/config/homes.ts';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { drawJob } from '../../src/engine/exports/draw.ts';
import { createQueries, type Queries } from '../../src/engine/queries.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { Store } from '../../src/ports/store.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { deliverOutbox } from '../../src/scheduler/deliver-outbox.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { syncHomes } from '../../src/store/sync-homes.ts';
import { FakeChat } from '../fakes/chat.ts';
import { FakeClock } from '../fakes/clock.ts';
import { tempDir } from './temp.ts';

/** Demo actors on the web platform (see src/config/demo-homes.yaml). */
export const sam = { platform: 'web', userId: 'sam' } as const; // manager
export const jo = { platform: 'web', userId: 'jo' } as const; // support worker
export const priya = { platform: 'web', userId: 'priya' } as const; // support worker
export const demoChannel = { platform: 'web', channelRef: 'oak-house' } as const;

/** A bot on a real database (SQLite in a temp folder unless a URL is given), with a fake clock and chat. */
export interface TestBot {
  dir: string;
  database: Database;
  store: Store;
  engine: Engine;
  queries: Queries;
  clock: FakeClock;
  chat: FakeChat;
  /** What the scheduler does on each tick: held commands, due pings, then the outbox. */
  tick(instanceId?: string): Promise<void>;
  /** Reopens the same database as a fresh process would (a restart). */
  restart(): Promise<TestBot>;
  close(): Promise<void>;
}

export async function startTestBot(
  opts: { at?: string; dir?: string; databaseUrl?: string; homesYaml?: string; clock?: FakeClock } = {},
): Promise<TestBot> {
  const dir = opts.dir ?? tempDir('missing-bot-');
  const clock = opts.clock ?? new FakeClock(new Date(opts.at ?? '2026-11-20T22:10:00Z'));
  const database = await openDatabase({ dataDir: dir, ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}) });
  const homes = opts.homesYaml
    ? parseHomes(opts.homesYaml, 'test.yaml', protocols)
    : loadHomesFile(demoHomesFile, protocols);
  await syncHomes(database, homes);
  const store = prismaStore(database);
  // Each export's job goes through a structured clone, as it does to the worker thread in the bot:
  // a job holding something a worker cannot be sent fails here too.
  const engine = createEngine({
    store,
    clock,
    protocols,
    logger: silentLogger,
    drawer: (job) => drawJob(structuredClone(job)),
  });
  const queries = createQueries({ store, clock, protocols });
  const chat = new FakeChat('web');
  const platforms = new Map([[chat.platform, chat]]);
  const bot: TestBot = {
    dir,
    database,
    store,
    engine,
    queries,
    clock,
    chat,
    async tick(instanceId = 'test-instance') {
      await engine.retryHeld();
      await engine.scheduleRiskReviews();
      await engine.rateAtNightfall();
      await engine.runShiftHandovers();
      await engine.sendDuePings(instanceId);
      await deliverOutbox({ store, clock, logger: silentLogger, platforms }, instanceId);
    },
    async restart() {
      await store.close();
      return startTestBot({ ...opts, dir, clock });
    },
    close: () => store.close(),
  };
  return bot;
}

/** Runs a command and fails the test with the engine's error if it was refused. */
export async function must(engine: Engine, command: Record<string, unknown>) {
  const result = await engine.execute(command);
  if (!result.ok) throw new Error(`${String(command.type)} refused: ${JSON.stringify(result.error)}`);
  return result;
}

/** The episode as the engine sees it now. */
export function episodeOf(bot: TestBot, episodeId: string) {
  return bot.store.transaction((tx) => tx.episodes.get(episodeId));
}

/** The episode's record, in order. */
export function recordOf(bot: TestBot, episodeId: string) {
  return bot.store.transaction((tx) => tx.record.list(episodeId));
}

/** Rows the engine writes, counted table by table: a refusal must leave every count as it was. */
export async function writtenRows(bot: TestBot) {
  const db = bot.database.prisma;
  return {
    episodes: await db.episode.count(),
    entries: await db.logEntry.count(),
    outbox: await db.outboxMessage.count(),
    pings: await db.ping.count(),
    approvals: await db.approval.count(),
    items: await db.checklistItemState.count(),
    events: await db.processedEvent.count(),
  };
}

/** Opens (or joins) a child's episode in the demo home and returns its id. */
export async function openEpisode(bot: TestBot, child: string, actor: typeof jo | typeof priya | typeof sam = jo) {
  const { episodeId } = await must(bot.engine, { type: 'open_episode', actor, channel: demoChannel, child });
  if (!episodeId) throw new Error(`no episode opened for ${child}`);
  return episodeId;
}

/** Opens an episode and ticks once, so the root card is posted and the thread exists. */
export async function openWithThread(bot: TestBot, child: string, actor: typeof jo | typeof priya | typeof sam = jo) {
  const episodeId = await openEpisode(bot, child, actor);
  await bot.tick();
  const episode = await episodeOf(bot, episodeId);
  if (!episode?.threadRef) throw new Error('the root card was not delivered, so the episode has no thread');
  return { episodeId, threadRef: episode.threadRef };
}
