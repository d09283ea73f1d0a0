// Several bot instances on one database, as several processes would be: each has its own
// database client (its own connection pool), store and engine; they share only the database and,
// in tests, the fake clock.
import os from 'node:os';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import type { PingRun } from '../../src/engine/schedule/send-due-pings.ts';
import { parseHomes } from '../../src/config/homes.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { Store } from '../../src/ports/store.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { syncHomes } from '../../src/store/sync-homes.ts';
import type { FakeClock } from '../fakes/clock.ts';
import { startPostgres, type PostgresCluster } from './postgres.ts';

export interface Instance {
  id: string;
  database: Database;
  store: Store;
  engine: Engine;
}

export const homeChannel = { platform: 'web', channelRef: 'elm-house' } as const;
export const manager = { platform: 'web', userId: 'sam' } as const;
export const worker = { platform: 'web', userId: 'jo' } as const;

/** Child aliases C00001, C00002, … */
export const aliasOf = (i: number) => `C${String(i + 1).padStart(5, '0')}`;

/** One home with `children` children, a manager on call and no shift changes (so no handover pings). */
export function manyChildrenHome(children: number) {
  const file = {
    homes: [
      {
        id: 'elm-house',
        name: 'Elm House',
        timeZone: 'Europe/London',
        shiftChanges: [],
        channels: { web: homeChannel.channelRef },
        onCall: ['sam'],
        policy: { reportAfterMinutes: 30, approverRoles: ['manager'] },
        staff: [
          { id: 'sam', name: 'Sam Okafor', role: 'manager', web: manager.userId },
          { id: 'jo', name: 'Jo Reid', role: 'support_worker', web: worker.userId },
        ],
        children: Array.from({ length: children }, (_, i) => ({ id: aliasOf(i).toLowerCase(), alias: aliasOf(i) })),
      },
    ],
  };
  // JSON is YAML.
  return parseHomes(JSON.stringify(file), 'multi-instance.yaml', protocols);
}

/** Opens the database as another process would; `wrap` lets a test put a fault in its store. */
export async function openInstance(
  url: string,
  id: string,
  clock: FakeClock,
  wrap: (store: Store) => Store = (s) => s,
): Promise<Instance> {
  const database = await openDatabase({ databaseUrl: url, dataDir: os.tmpdir() });
  const store = wrap(prismaStore(database));
  const engine = createEngine({ store, clock, protocols, logger: silentLogger });
  return { id, database, store, engine };
}

/**
 * Bot instances on PostgreSQL, for one test file: a throwaway cluster started before the file's
 * tests and stopped after them. Each call opens instances on a database of their own
 * (instance-a, instance-b, … one per store wrapper given; two plain ones when none is), and every
 * instance opened is closed after its test.
 */
export function instancesOnPostgres() {
  let cluster: PostgresCluster | undefined;
  let open: Instance[] = [];
  let databases = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());
  afterEach(async () => {
    await Promise.all(open.map((i) => i.store.close()));
    open = [];
  });
  return async (clock: FakeClock, ...wraps: ((store: Store) => Store)[]): Promise<Instance[]> => {
    if (!cluster) throw new Error('the PostgreSQL cluster is not running');
    const url = await cluster.createDatabase(`instances_${++databases}`);
    const made: Instance[] = [];
    for (const [n, wrap] of (wraps.length > 0 ? wraps : [(s: Store) => s, (s: Store) => s]).entries()) {
      const instance = await openInstance(url, `instance-${String.fromCharCode(97 + n)}`, clock, wrap);
      made.push(instance);
      open.push(instance);
    }
    return made;
  };
}

/** Runs `work(i)` for i in [0, count) with at most `width` at a time. */
export async function inParallel(count: number, width: number, work: (i: number) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
}

async function must(engine: Engine, command: Record<string, unknown>) {
  const result = await engine.execute(command);
  if (!result.ok) throw new Error(`${String(command.type)} refused: ${JSON.stringify(result.error)}`);
  return result;
}

/**
 * Opens an episode for each of the first `count` children, reports it to the police and records
 * the child's return, all at the clock's current time, spreading the work over the instances.
 * From the return on, each episode's ladder holds six one-off pings (police told of return at
 * +30 min, RHI at 24 h and 48 h, safe and well at 24 h, risk assessment at 48 h, RHI escalation
 * at 66 h) whose reasons hold until someone acts, so after 66 h all six are due and must be sent.
 */
export async function seedReturnedEpisodes(instances: Instance[], clock: FakeClock, count: number): Promise<string[]> {
  const at = clock.now().toISOString();
  const ids: string[] = [];
  await inParallel(count, 4 * instances.length, async (i) => {
    const { engine } = instances[i % instances.length]!;
    const { episodeId } = await must(engine, {
      type: 'open_episode',
      actor: worker,
      channel: homeChannel,
      child: aliasOf(i),
    });
    await must(engine, {
      type: 'record_police_report',
      actor: worker,
      episodeId,
      reference: `REF-${i}`,
      officer: 'PC Lane',
      grade: 'medium',
    });
    await must(engine, {
      type: 'record_return',
      actor: worker,
      episodeId,
      at,
      how: 'walked in',
      whereFound: 'the home',
      condition: 'well',
    });
    // The Regulation 40 decision taken, so the six one-off reminders are all it has.
    await must(engine, {
      type: 'record_notification',
      actor: worker,
      episodeId,
      party: 'ofsted',
      decision: 'not_required',
      reason: 'Not a serious event',
    });
    ids.push(episodeId!);
  });
  return ids;
}

/** Seeds the home (children and staff) once, through the first instance. */
export async function seedHome(instance: Instance, children: number) {
  await syncHomes(instance.database, manyChildrenHome(children));
}

/** Totals of several ping runs. */
export interface RunTotals {
  sent: number;
  cancelled: number;
  lost: number;
  failed: string[];
  batches: number;
}

// `failed` is newer than some callers of PingRun; read it where it exists.
const failuresOf = (run: PingRun): string[] => (run as { failed?: string[] }).failed ?? [];

/** Calls the instance's sendDuePings until it claims nothing, as its ticker would, back to back. */
export async function drainPings(instance: Instance): Promise<RunTotals> {
  const totals: RunTotals = { sent: 0, cancelled: 0, lost: 0, failed: [], batches: 0 };
  for (;;) {
    const run = await instance.engine.sendDuePings(instance.id);
    const failed = failuresOf(run);
    if (run.sent + run.cancelled + run.lost + failed.length === 0) return totals;
    totals.sent += run.sent;
    totals.cancelled += run.cancelled;
    totals.lost += run.lost;
    totals.failed.push(...failed);
    totals.batches += 1;
  }
}
