// Opens the bot's database: embedded SQLite by default, PostgreSQL when DATABASE_URL says so.
// Either way the migrations are applied on open (already-applied ones are skipped), so a fresh
// data folder or an empty PostgreSQL database is ready to use.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { Sql } from '@prisma/client/runtime/client';
import type { PrismaClient } from './generated/sqlite/client.ts';
import { applyMigrations, type Provider } from './schema-engine.ts';
import { sqliteLane, type Direct } from './sqlite-lane.ts';

/** An open database and the Prisma client to use it through. */
export interface Database {
  provider: Provider;
  prisma: PrismaClient;
  /** Home syncs begun or ended on this database so far (syncHomes counts them; caches of who is who watch it). */
  homeSyncs: number;
  /** Disconnects the client and releases the connection (SQLite file handle or PostgreSQL pool). */
  close(): Promise<void>;
  /** SQL statements sent so far (SQLite), for tests that check a read does not grow with the data. */
  statements?: () => number;
  /** SQL statements the driver has prepared so far (SQLite): each distinct one once. */
  prepared?: () => number;
  /** SQLite: runs synchronous work on the connection itself, in one transaction (sqlite-lane.ts). */
  direct?: Direct;
  /** PostgreSQL: runs one statement on the pool Prisma uses, without Prisma (the record path's). */
  pgQuery?: PgQuery;
}

/** One statement on PostgreSQL's pool: its rows, and how many rows it changed. */
export type PgQuery = (query: Sql) => Promise<{ rows: Record<string, unknown>[]; changed: number }>;

/**
 * A value as the statement should get it: a time as UTC ISO 8601 text, which a timestamp column
 * takes as it is (the pg driver would send local time).
 */
const pgValue = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** Where the data lives, as decided from the configuration. */
export type DatabaseTarget = { provider: 'sqlite'; file: string } | { provider: 'postgresql'; url: string };

/** The SQLite file used when no DATABASE_URL is set, inside the data folder. */
export const sqliteFileName = 'missing-bot.db';

/**
 * How long a SQLite write waits for another writer (another process, or a reader's checkpoint).
 * better-sqlite3 waits synchronously, stopping the whole event loop (and Slack's acks) meanwhile,
 * so while the bot runs it is kept short: longer waits are the store's retries, which let the
 * loop run. Migrating at start may wait longer: nothing else is running yet.
 */
const sqliteBusyTimeoutMs = { migrating: 5_000, running: 250 };

/**
 * Decides which database to use: a postgres:// or postgresql:// URL means PostgreSQL, a file: URL
 * names a SQLite file, and no URL means `<dataDir>/missing-bot.db`.
 */
export function databaseTarget(options: { databaseUrl?: string; dataDir: string }): DatabaseTarget {
  const url = options.databaseUrl?.trim();
  if (!url) return { provider: 'sqlite', file: path.resolve(options.dataDir, sqliteFileName) };
  if (/^postgres(ql)?:\/\//i.test(url)) return { provider: 'postgresql', url };
  if (url.startsWith('file:')) {
    const withoutQuery = url.replace(/\?.*$/, '');
    const file = withoutQuery.startsWith('file://') ? fileURLToPath(withoutQuery) : withoutQuery.slice('file:'.length);
    return { provider: 'sqlite', file: path.resolve(file) };
  }
  // Never echo the URL itself: it may carry a password.
  throw new Error('DATABASE_URL must start with postgres://, postgresql:// or file:');
}

/** Opens (creating if needed) and migrates the configured database. */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  const target = databaseTarget(options);
  return target.provider === 'postgresql' ? openPostgres(target.url) : openSqlite(target.file);
}

async function openSqlite(file: string): Promise<Database> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // `timeout` is better-sqlite3's busy timeout; the adapter passes its options to the driver.
  const factory = (timeout: number) => new PrismaBetterSqlite3({ url: `file:${file}`, timeout });
  await applyMigrations('sqlite', factory(sqliteBusyTimeoutMs.migrating));
  const { PrismaClient: SqliteClient } = await import('./generated/sqlite/client.ts');
  // One caller at a time on the one connection, yielding to the event loop between queries.
  let statements = 0;
  let prepared = 0;
  let direct: Direct | undefined;
  const prisma = new SqliteClient({
    adapter: sqliteLane(
      factory(sqliteBusyTimeoutMs.running),
      { sent: () => (statements += 1), prepared: () => (prepared += 1) },
      (given) => (direct = given),
    ),
  });
  try {
    // The adapter holds one connection per client, so per-connection pragmas set here stick.
    // WAL lets the web page and exports read while the bot writes; it persists in the file.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    // An acknowledged entry of the legal record must survive a power cut or an OS crash: WAL's
    // default (NORMAL) may lose the last commits then; FULL syncs the log at every commit.
    await prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');
    // SQLite ignores the migrations' foreign keys unless asked, per connection; PostgreSQL
    // always enforces them, and both backends must behave alike.
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    if (!direct) throw new Error('the SQLite connection was opened without the better-sqlite3 driver');
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
  return {
    provider: 'sqlite',
    prisma,
    homeSyncs: 0,
    close: () => prisma.$disconnect(),
    statements: () => statements,
    prepared: () => prepared,
    // The connection's own, should Prisma ever open it again.
    direct: (work) => direct!(work),
  };
}

async function openPostgres(connectionString: string): Promise<Database> {
  // PostgreSQL's driver and client load only here: the embedded default never needs them.
  const { postgresMigrationFactory } = await import('./pg-migration.ts');
  await applyMigrations('postgresql', postgresMigrationFactory(connectionString));
  const [{ PrismaPg }, { default: pg }] = await Promise.all([import('@prisma/adapter-pg'), import('pg')]);
  // One pool: Prisma's queries and the record path's own statements share its connections.
  const pool = new pg.Pool({ connectionString });
  // An idle connection the server dropped is let go by the pool; unheard, its error would end
  // the process. The next statement takes a fresh connection (or fails, and is held, if the
  // server is away).
  pool.on('error', () => {});
  const { PrismaClient: PostgresClient } = await import('./generated/postgresql/client.ts');
  // Both clients are generated from the same models, so their model APIs match; the types differ
  // only by module, hence the cast to the one client type the rest of the code knows.
  const prisma = new PostgresClient({ adapter: new PrismaPg(pool) }) as unknown as PrismaClient;
  const pgQuery: PgQuery = async (query) => {
    // Worded so the store takes it for an unavailable database: the command is held, not lost.
    if (pool.ending) throw new Error('Connection terminated: the database pool is closed');
    const result = await pool.query<Record<string, unknown>>(query.text, query.values.map(pgValue));
    return { rows: result.rows, changed: result.rowCount ?? 0 };
  };
  return {
    provider: 'postgresql',
    prisma,
    homeSyncs: 0,
    close: async () => {
      try {
        await prisma.$disconnect();
      } finally {
        if (!pool.ending) await pool.end();
      }
    },
    pgQuery,
  };
}
