import { z } from 'zod';
import { StoreUnavailable } from '../ports/held-commands.ts';
import type { RecordEntry } from '../domain/record.ts';
import type { OutboxRecord, Store, ThreadState, Tx } from '../ports/store.ts';
import type { Database } from './database.ts';
import { readJson } from './json.ts';
import type { Prisma } from './generated/sqlite/client.ts';
import { outboundSchema, toPing } from './mappers.ts';
import { claimDueOutboxIds, claimDuePingIds } from './claims.ts';
import { entryInsert, eventInsert, threadStateQuery, toThreadState } from './record-sql.ts';
import { staffDirectory } from './staff-directory.ts';
import { keptThreadHeads } from './thread-heads.ts';
import { threadEntriesWrite } from './pg-thread-write.ts';
import { prismaTx } from './tx.ts';

type DriverFailure = {
  code?: string;
  message?: string;
  meta?: { driverAdapterError?: { cause?: { originalCode?: string; kind?: string; code?: string } } };
  cause?: { originalCode?: string; kind?: string; code?: string };
};
const causeOf = (error: unknown) => {
  const e = error as DriverFailure;
  return e?.meta?.driverAdapterError?.cause ?? e?.cause ?? {};
};

/**
 * Prisma error codes (and PostgreSQL states) that mean "someone else got there first; try again".
 * A raw statement's unique violation (P2010) comes with the driver's kind: the record path's
 * write collides that way when another writer appended first.
 */
function isRetryable(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string }; message?: string };
  const code = e?.code ?? e?.cause?.code;
  // 23505: a unique violation as the pg driver itself reports it (the record path's own statements).
  if (code === 'P2002' || code === 'P2034' || code === '23505' || code === '40001' || code === '40P01') return true;
  if (causeOf(error).kind === 'UniqueConstraintViolation') return true;
  return typeof e?.message === 'string' && /could not serialize|deadlock detected/i.test(e.message);
}

/** SQLite is locked by another writer (another process): worth waiting a little and trying again. */
function isLocked(error: unknown): boolean {
  const code = causeOf(error).originalCode ?? '';
  return (
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_LOCKED') ||
    /SQLITE_BUSY|database is locked/i.test((error as DriverFailure)?.message ?? '')
  );
}

/** Prisma codes, driver kinds and PostgreSQL states that mean the database cannot be reached or took too long. */
const unavailableCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
const unavailableKinds = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
]);
const unreachable =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Can't reach database server|Connection terminated|connection is closed|Cannot use a pool after calling end|Timed out fetching a new connection|Unable to start a transaction in the given time|the database system is (shutting down|starting up)|terminating connection/i;

/** Why the database cannot take a transaction now, or null when the error is something else. */
function unavailable(error: unknown): string | null {
  if (isLocked(error)) return 'the database is locked by another writer';
  const e = error as DriverFailure;
  const cause = causeOf(error);
  // The driver's SQLSTATE, inside Prisma's error, or the pg driver's own (the record path's statements).
  const state = cause.code ?? (/^[0-9][0-9A-Z]{4}$/.test(e?.code ?? '') ? e!.code! : '');
  if (
    unavailableCodes.has(e?.code ?? '') ||
    unavailableKinds.has(cause.kind ?? '') ||
    state.startsWith('08') ||
    ['57P01', '57P02', '57P03', '53300'].includes(state) ||
    unreachable.test(`${e?.code ?? ''} ${state} ${e?.message ?? ''}`)
  )
    return `the database is unreachable (${e?.code ?? cause.kind ?? (state || 'connection error')})`;
  return null;
}

function toOutbox(row: Prisma.OutboxMessageGetPayload<object>): OutboxRecord {
  return {
    id: row.id,
    homeId: row.homeId,
    episodeId: row.episodeId,
    platform: z.enum(['slack', 'teams', 'web']).parse(row.platform),
    message: readJson(outboundSchema, row.payloadJson, `outbox message ${row.id}`),
    attempts: row.attempts,
    createdAt: row.createdAt,
  };
}

/** Collisions a thread message's write takes before giving up: as many writers as a thread may have at once. */
const THREAD_COLLISIONS = 100;

/** The Store port over a Prisma client (SQLite or PostgreSQL). */
export function prismaStore(database: Database, opts: { maxAttempts?: number } = {}): Store {
  const { prisma } = database;
  const maxAttempts = opts.maxAttempts ?? 6;
  const staff = staffDirectory({ syncs: () => database.homeSyncs });
  const threadHeads = keptThreadHeads();
  /**
   * Runs `work`, again after a collision or a lock (with jitter), and names an unavailable database.
   * `collisions`: how many collisions to take before giving up (each means another writer won).
   */
  async function withRetries<T>(work: () => Promise<T>, collisions = maxAttempts): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const locked = isLocked(error);
        const collided = !locked && isRetryable(error);
        if ((locked && attempt < maxAttempts) || (collided && attempt < collisions)) {
          // Back off a little, with jitter, so two racing instances do not collide again; a lock
          // held by another process gets longer (about 1.5 s in all) before giving up.
          const wait = locked ? 25 * 2 ** attempt : Math.min(5 * attempt, 50) + Math.random() * 20;
          await new Promise((r) => setTimeout(r, wait));
          continue;
        }
        // Still colliding after a long run of tries: kept and applied later, never dropped.
        if (collided && collisions > maxAttempts)
          throw new StoreUnavailable('too many writers at once on one record', { cause: error });
        // Not this command's fault: the engine holds it and applies it when the database is back.
        const reason = unavailable(error);
        if (reason) throw new StoreUnavailable(reason, { cause: error });
        throw error;
      }
    }
  }
  const transaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
    withRetries(() => prisma.$transaction((db) => fn(prismaTx(db)), { maxWait: 10_000, timeout: 30_000 }));

  return {
    transaction,

    appendToThread(args, plan) {
      // Who wrote it, from the kept directory: it only names the author in the entry.
      const { platform, userId } = args.author;
      const whoWrote = () =>
        staff.find(platform, userId, () => prismaTx(prisma).staff.findByIdentity(platform, userId));
      const threadQuery = threadStateQuery(args.platform, args.threadRef, args.platformMessageId);
      const event = args.eventKey ? { key: args.eventKey, at: args.at } : null;
      const { direct, pgQuery } = database;
      if (direct)
        // SQLite, one writer at a time: the read, the event and the entries in one short
        // transaction on the connection itself, Prisma's cost per statement being most of the time.
        return withRetries(async () => {
          const author = await whoWrote();
          return direct((db) => {
            const { entries, result } = plan(toThreadState(db.rows(threadQuery)), author);
            if (entries.length === 0) return result;
            if (event && db.run(eventInsert(event.key, event.at)) === 0) return 'duplicate' as const;
            for (const entry of entries) db.run(entryInsert(entry).query);
            return result;
          });
        });
      if (!pgQuery) throw new Error('a PostgreSQL database without its pool');
      // PostgreSQL: one atomic statement on the pool itself, after a read of the thread's state
      // unless this process wrote the thread's last message (threadHeads). A writer that appended
      // since makes the statement collide on (episodeId, seq), and it is all done again, with a
      // read. Each collision means another message went in, so a busy thread takes many before
      // giving up.
      const key = `${args.platform}:${args.threadRef}`;
      /** Writes the planned entries; false when the message is in the record (or the event was seen). */
      const wrote = async (state: ThreadState, entries: RecordEntry[], checkUnrecorded: boolean) => {
        const unrecorded = checkUnrecorded
          ? { episodeId: state.episodeId, platform: args.platform, platformMessageId: args.platformMessageId }
          : null;
        if ((await pgQuery(threadEntriesWrite(event, entries, unrecorded))).changed === 0) return false;
        const { seq, hash } = entries.at(-1)!;
        threadHeads.keep(key, { episodeId: state.episodeId, homeId: state.homeId, head: { seq, hash } });
        return true;
      };
      return withRetries(async () => {
        const author = await whoWrote();
        // Taken out: a try that collides, or finds the message recorded, reads afresh.
        const known = threadHeads.take(key);
        if (known) {
          // The thread as this process left it, the message not in the record yet: the write
          // checks both. Anything else (nothing to write, a refusal) is decided on a fresh read.
          const state = { ...known, original: null };
          const { entries, result } = plan(state, author);
          try {
            if (entries.length > 0 && (await wrote(state, entries, true))) return result;
          } catch (error) {
            // Something was appended since our write (a collision): read afresh now, no backoff.
            if (!isRetryable(error)) throw error;
          }
        }
        const state = toThreadState((await pgQuery(threadQuery)).rows);
        const { entries, result } = plan(state, author);
        if (!state || entries.length === 0) return result;
        return (await wrote(state, entries, false)) ? result : ('duplicate' as const);
      }, THREAD_COLLISIONS);
    },

    async claimDuePings(now, instanceId, leaseUntil, limit) {
      const ids = await claimDuePingIds(prisma, database.provider, { now, instanceId, leaseUntil, limit });
      if (ids.length === 0) return [];
      const rows = await prisma.ping.findMany({
        where: { id: { in: ids } },
        orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toPing);
    },

    async claimDueOutbox(now, instanceId, leaseUntil, limit) {
      const ids = await claimDueOutboxIds(prisma, database.provider, { now, instanceId, leaseUntil, limit });
      if (ids.length === 0) return [];
      const rows = await prisma.outboxMessage.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
      return rows.map(toOutbox);
    },

    async outboxDelivered(id, at, resultRef) {
      await prisma.outboxMessage.update({
        where: { id },
        data: { status: 'sent', sentAt: at, resultRef, claimedBy: null, leaseUntil: null, attempts: { increment: 1 } },
      });
    },

    async outboxFailed(id, error, retryAt) {
      await prisma.outboxMessage.update({
        where: { id },
        data: retryAt
          ? {
              lastError: error.slice(0, 1000),
              nextAttemptAt: retryAt,
              claimedBy: null,
              leaseUntil: null,
              attempts: { increment: 1 },
            }
          : {
              status: 'failed',
              lastError: error.slice(0, 1000),
              claimedBy: null,
              leaseUntil: null,
              attempts: { increment: 1 },
            },
      });
    },

    async outboxRelease(id, retryAt) {
      await prisma.outboxMessage.update({
        where: { id },
        data: { nextAttemptAt: retryAt, claimedBy: null, leaseUntil: null },
      });
    },

    async cardRef(episodeId, cardKey) {
      const row = await prisma.outboxMessage.findFirst({
        where: { episodeId, cardKey, status: 'sent', resultRef: { not: null } },
        orderBy: { id: 'desc' },
        select: { resultRef: true },
      });
      return row?.resultRef ?? null;
    },

    async ping() {
      await prisma.$queryRawUnsafe('SELECT 1');
    },

    async probeWrite(at) {
      // One row, rewritten: it needs the write lock (SQLite) or a row lock (PostgreSQL) as any entry
      // of the record would, and fails after the same busy wait when another process holds it.
      await prisma.processedEvent.upsert({
        where: { id: 'healthz:write-probe' },
        create: { id: 'healthz:write-probe', receivedAt: at },
        update: { receivedAt: at },
      });
    },

    close: () => database.close(),
  };
}
