// npm run db:migration -- <name>
// Writes prisma/migrations/<provider>/<NNNN>_<name>/migration.sql for SQLite and PostgreSQL: the
// SQL that takes the existing migrations to the current prisma/schema.prisma. The engine replays
// the migrations on a shadow database, so each provider needs a live connection: a temp SQLite
// file, and for PostgreSQL DATABASE_URL (its role must be allowed to CREATE DATABASE) or else a
// throwaway cluster started here.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import {
  lockfileContent,
  migrationsDir,
  projectRoot,
  sqlForNewMigration,
  type Provider,
} from '../src/store/schema-engine.ts';
import { postgresMigrationFactory } from '../src/store/pg-migration.ts';
import { startPostgres } from '../test/support/postgres.ts';

const name = process.argv[2] ?? '';
if (!/^[a-z][a-z0-9_]*$/.test(name)) {
  console.error('usage: npm run db:migration -- <name>   (lower-case letters, digits and _, e.g. add_ping_index)');
  process.exit(1);
}

// The PostgreSQL schema is derived from schema.prisma; a stale copy would give the two providers
// different migrations. Regenerating also brings the clients up to date with the new migration.
execFileSync(process.execPath, [path.join(projectRoot, 'scripts/prisma-generate.mjs')], { stdio: 'inherit' });

const sql: Record<Provider, string | null> = {
  sqlite: await withSqlite((factory) => sqlForNewMigration('sqlite', factory)),
  postgresql: await withPostgres((factory) => sqlForNewMigration('postgresql', factory)),
};

// One number for both providers, so the same change carries the same folder name in each.
const number = String(Math.max(lastNumber('sqlite'), lastNumber('postgresql')) + 1).padStart(4, '0');
for (const provider of ['sqlite', 'postgresql'] as const) {
  const script = sql[provider];
  if (script === null) {
    console.log(`${provider}: no changes`);
    continue;
  }
  const dir = path.join(migrationsDir(provider), `${number}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migration.sql'), script);
  fs.writeFileSync(path.join(migrationsDir(provider), 'migration_lock.toml'), lockfileContent(provider));
  console.log(`${provider}: wrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}`);
}

/** The highest NNNN among a provider's migration folders, 0 when there are none. */
function lastNumber(provider: Provider): number {
  const dir = migrationsDir(provider);
  if (!fs.existsSync(dir)) return 0;
  const numbers = fs.readdirSync(dir).map((entry) => Number(/^(\d+)_/.exec(entry)?.[1] ?? 0));
  return Math.max(0, ...numbers);
}

async function withSqlite<T>(run: (factory: SqlMigrationAwareDriverAdapterFactory) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'missing-bot-migration-'));
  try {
    return await run(new PrismaBetterSqlite3({ url: `file:${path.join(dir, 'throwaway.db')}` }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function withPostgres<T>(run: (factory: SqlMigrationAwareDriverAdapterFactory) => Promise<T>): Promise<T> {
  const given = process.env.DATABASE_URL;
  if (given && /^postgres(ql)?:\/\//i.test(given)) return run(postgresMigrationFactory(given));
  const cluster = await startPostgres();
  try {
    return await run(postgresMigrationFactory(cluster.url));
  } finally {
    await cluster.stop();
  }
}
