// The bot's SQLite database is one better-sqlite3 connection, and better-sqlite3 is synchronous.
// Two things follow, and this wrapper around Prisma's driver adapter handles both:
//  - A query sent outside a transaction while one is open on the connection runs inside it, and is
//    undone if that transaction rolls back (a refused command, a retried collision) although its
//    caller was told it succeeded. Here such a query waits until the open transaction has ended.
//  - A transaction never gives the event loop back: its queries resolve as microtasks, so while it
//    runs no HTTP request is read or acknowledged. Here every query first yields to the event loop,
//    so Slack's acks are answered between two queries rather than after a whole batch of work.
//    (`direct`, the record path's few statements, yields once, before its short transaction.)
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { Sql } from '@prisma/client/runtime/client';
import type BetterSqlite3 from 'better-sqlite3';
import { driverOf, prepareOnce } from './sqlite-statements.ts';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The bound values one statement may have in the SQLite that better-sqlite3 bundles (3.32 and later). */
export const SQLITE_MAX_VARIABLES = 32_766;

/** A first-come, first-served lock. */
class Lane {
  private tail: Promise<void> = Promise.resolve();
  /** Waits for the lane; resolves with the function that frees it. */
  acquire(): Promise<() => void> {
    let free!: () => void;
    const freed = new Promise<void>((resolve) => (free = resolve));
    const turn = this.tail.then(() => free);
    this.tail = this.tail.then(() => freed);
    return turn;
  }
}

/** The connection itself, inside `direct`: statements run synchronously, in its one transaction. */
export interface DirectConnection {
  /** Runs a statement; returns how many rows it changed. */
  run(query: Sql): number;
  /** Runs a query; returns its rows, keyed by column name. */
  rows(query: Sql): Record<string, unknown>[];
}

/**
 * Runs `work` on the connection itself in one transaction (BEGIN IMMEDIATE … COMMIT, or ROLLBACK
 * when it throws), in its turn on the lane like any caller. `work` is synchronous, so nothing else
 * runs meanwhile. For the record path's few statements, where Prisma's cost per call is most of
 * the time (see README, "Under pressure").
 */
export type Direct = <T>(work: (db: DirectConnection) => T) => Promise<T>;

/** A value as Prisma's better-sqlite3 adapter binds it: times as ISO 8601 text, booleans as 0/1. */
function bindable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** Called once for every statement sent (counted by tests and the benchmark, never timed). */
type OnStatement = () => void;

/** What the lane counts: statements sent, and statements the driver had to prepare (not kept yet). */
export interface LaneCounters {
  sent: OnStatement;
  prepared: OnStatement;
}

function laneTransaction(
  inner: Transaction,
  free: () => void,
  counted: OnStatement,
  driver: BetterSqlite3.Database | null,
): Transaction {
  let freed = false;
  const end = () => {
    // A COMMIT that failed leaves the transaction open (Prisma's rollback then sends nothing):
    // end it here, or the next caller would find itself inside it.
    if (driver?.open && driver.inTransaction) {
      try {
        driver.prepare('ROLLBACK').run();
      } catch {
        // Nothing more can be done for it; the next BEGIN will say so.
      }
    }
    if (!freed) free();
    freed = true;
  };
  return Object.assign(Object.create(inner) as Transaction, {
    queryRaw: async (query: SqlQuery) => {
      await nextTurn();
      counted();
      return inner.queryRaw(query);
    },
    executeRaw: async (query: SqlQuery) => {
      await nextTurn();
      counted();
      return inner.executeRaw(query);
    },
    commit: async () => {
      try {
        await inner.commit();
      } finally {
        end();
      }
    },
    rollback: async () => {
      try {
        await inner.rollback();
      } finally {
        end();
      }
    },
  });
}

function laneAdapter(
  inner: SqlDriverAdapter,
  counters: LaneCounters,
  onDirect?: (direct: Direct) => void,
): SqlDriverAdapter {
  const counted = counters.sent;
  const driver = driverOf(inner);
  if (driver) prepareOnce(driver, counters.prepared);
  const lane = new Lane();
  if (driver && onDirect) {
    const statement = (query: Sql) => {
      counted();
      return driver.prepare(query.sql).bind(query.values.map(bindable));
    };
    const connection: DirectConnection = {
      run: (query) => statement(query).run().changes,
      rows: (query) => {
        const bound = statement(query);
        const names = bound.columns().map((c) => c.name);
        return (bound.raw().all() as unknown[][]).map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
      },
    };
    // BEGIN is not counted, as Prisma's own BEGIN is not; COMMIT is.
    const begin = () => driver.prepare('BEGIN IMMEDIATE').run();
    const commit = () => (counted(), driver.prepare('COMMIT').run());
    onDirect(async (work) => {
      const free = await lane.acquire();
      try {
        await nextTurn();
        // Worded so the store takes it for an unavailable database: the command is held, not lost.
        if (!driver.open) throw new Error('the SQLite connection is closed');
        begin();
        try {
          const result = work(connection);
          if (typeof (result as { then?: unknown } | null)?.then === 'function')
            throw new Error('direct work must be synchronous: its statements would run outside the transaction');
          commit();
          return result;
        } catch (error) {
          if (driver.inTransaction) driver.prepare('ROLLBACK').run();
          throw error;
        }
      } finally {
        free();
      }
    });
  }
  const alone = async <T>(work: () => Promise<T>): Promise<T> => {
    const free = await lane.acquire();
    try {
      await nextTurn();
      return await work();
    } finally {
      free();
    }
  };
  return Object.assign(Object.create(inner) as SqlDriverAdapter, {
    // Prisma assumes SQLite's old limit of 999 bound values unless told, and then refuses to read
    // more than about a thousand episodes' relations at once (P2029): a local authority's open
    // episodes, listed together, would stop the scheduler. The bundled SQLite takes 32,766.
    getConnectionInfo: () => ({
      ...(inner.getConnectionInfo?.() ?? { supportsRelationJoins: false }),
      maxBindValues: SQLITE_MAX_VARIABLES,
    }),
    queryRaw: (query: SqlQuery) => alone(() => (counted(), inner.queryRaw(query))),
    executeRaw: (query: SqlQuery) => alone(() => (counted(), inner.executeRaw(query))),
    executeScript: (script: string) => alone(() => inner.executeScript(script)),
    startTransaction: async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
      // The lane is held from BEGIN to COMMIT or ROLLBACK.
      const free = await lane.acquire();
      try {
        await nextTurn();
        return laneTransaction(await inner.startTransaction(...args), free, counted, driver);
      } catch (error) {
        free();
        throw error;
      }
    },
  });
}

/**
 * Wraps a SQLite driver adapter factory so its connection serves one caller at a time, fairly,
 * and prepares each distinct statement once (sqlite-statements.ts). `onDirect` is given the
 * connection's `direct` once it is open.
 */
export function sqliteLane(
  factory: SqlMigrationAwareDriverAdapterFactory,
  counters: LaneCounters = { sent: () => {}, prepared: () => {} },
  onDirect?: (direct: Direct) => void,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => laneAdapter(await factory.connect(), counters, onDirect),
    connectToShadowDb: async () => laneAdapter(await factory.connectToShadowDb(), counters),
  };
}
