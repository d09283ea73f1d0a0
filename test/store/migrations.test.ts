import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTarget, openDatabase, sqliteFileName } from '../../src/store/database.ts';
import {
  applyMigrations,
  diffMigrationsAgainstSchema,
  migrationsList,
  type Provider,
} from '../../src/store/schema-engine.ts';
import { postgresMigrationFactory } from '../../src/store/pg-migration.ts';
import { startPostgres, type PostgresCluster } from '../support/postgres.ts';
import { tempDir } from '../support/temp.ts';

const tempRoot = tempDir('missing-bot-store-test-');
afterAll(() => fs.rmSync(tempRoot, { recursive: true, force: true }));

let dirCount = 0;
function freshDataDir(): string {
  return path.join(tempRoot, `data-${++dirCount}`);
}

/** A brand-new empty database of one provider: how to open it, and an engine factory for it. */
interface EmptyDatabase {
  options: { databaseUrl?: string; dataDir: string };
  migrationFactory: SqlMigrationAwareDriverAdapterFactory;
}

/** The same promises, checked against each provider. */
function migratedDatabaseBehaviour(provider: Provider, emptyDatabase: () => Promise<EmptyDatabase>) {
  const migrationNames = migrationsList(provider).migrationDirectories.map((dir) => dir.path);

  it('has migrations that, replayed from scratch, match schema.prisma exactly', async () => {
    const { migrationFactory } = await emptyDatabase();
    expect(migrationNames.length).toBeGreaterThan(0);
    const diff = await diffMigrationsAgainstSchema(provider, migrationFactory);
    expect(diff.stdout).toContain('No difference detected');
    expect(diff.exitCode).toBe(0);
  });

  it('applies every migration on first open and none on the next', async () => {
    const { options, migrationFactory } = await emptyDatabase();
    const first = await openDatabase(options);
    await first.close();
    const second = await openDatabase(options);
    try {
      const [row] = await second.prisma.$queryRawUnsafe<{ n: unknown }[]>(
        'SELECT COUNT(*) AS n FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL',
      );
      expect(Number(row?.n)).toBe(migrationNames.length);
    } finally {
      await second.close();
    }
    expect(await applyMigrations(provider, migrationFactory)).toEqual([]);
  });

  it('writes a home and reads it back, across a reopen', async () => {
    const { options } = await emptyDatabase();
    const writer = await openDatabase(options);
    expect(writer.provider).toBe(provider);
    try {
      await writer.prisma.home.create({
        data: { id: 'oak-house', name: 'Oak House', timeZone: 'Europe/London', configJson: '{}' },
      });
    } finally {
      await writer.close();
    }
    const reader = await openDatabase(options);
    try {
      const home = await reader.prisma.home.findUnique({ where: { id: 'oak-house' } });
      expect(home).toMatchObject({ name: 'Oak House', timeZone: 'Europe/London' });
      expect(home?.updatedAt).toBeInstanceOf(Date);
    } finally {
      await reader.close();
    }
  });
}

describe('SQLite store', () => {
  migratedDatabaseBehaviour('sqlite', async () => {
    const dataDir = freshDataDir();
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, sqliteFileName);
    return { options: { dataDir }, migrationFactory: new PrismaBetterSqlite3({ url: `file:${file}` }) };
  });

  it('creates the data folder and the database file in it on first open', async () => {
    const dataDir = path.join(freshDataDir(), 'nested');
    const db = await openDatabase({ dataDir });
    await db.close();
    expect(fs.statSync(path.join(dataDir, 'missing-bot.db')).size).toBeGreaterThan(0);
  });

  it('opens a file: DATABASE_URL instead of the data folder', async () => {
    const dataDir = freshDataDir();
    const file = path.join(freshDataDir(), 'elsewhere.db');
    const db = await openDatabase({ databaseUrl: `file:${file}`, dataDir });
    await db.close();
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, sqliteFileName))).toBe(false);
  });

  it('runs in WAL mode with foreign keys enforced', async () => {
    const db = await openDatabase({ dataDir: freshDataDir() });
    try {
      expect(await db.prisma.$queryRawUnsafe('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      await expect(
        db.prisma.staff.create({ data: { id: 's1', homeId: 'no-such-home', displayName: 'Sam', role: 'carer' } }),
      ).rejects.toThrow(/foreign key/i);
    } finally {
      await db.close();
    }
  });
});

describe('PostgreSQL store', () => {
  let cluster: PostgresCluster;
  let databases = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  migratedDatabaseBehaviour('postgresql', async () => {
    const url = await cluster.createDatabase(`store_test_${++databases}`);
    return { options: { databaseUrl: url, dataDir: freshDataDir() }, migrationFactory: postgresMigrationFactory(url) };
  });
});

describe('choosing the database', () => {
  it('takes postgres:// and postgresql:// URLs as PostgreSQL, file: URLs and no URL as SQLite', () => {
    const dataDir = '/srv/bot/data';
    expect(databaseTarget({ databaseUrl: 'postgres://u@h/db', dataDir })).toEqual({
      provider: 'postgresql',
      url: 'postgres://u@h/db',
    });
    expect(databaseTarget({ databaseUrl: 'postgresql://u@h/db', dataDir }).provider).toBe('postgresql');
    expect(databaseTarget({ databaseUrl: 'file:/var/bot.db', dataDir })).toEqual({
      provider: 'sqlite',
      file: '/var/bot.db',
    });
    expect(databaseTarget({ databaseUrl: 'file:///var/bot.db', dataDir })).toEqual({
      provider: 'sqlite',
      file: '/var/bot.db',
    });
    expect(databaseTarget({ dataDir })).toEqual({ provider: 'sqlite', file: '/srv/bot/data/missing-bot.db' });
    expect(databaseTarget({ databaseUrl: '', dataDir })).toEqual({
      provider: 'sqlite',
      file: '/srv/bot/data/missing-bot.db',
    });
  });

  it('refuses other URLs without echoing them (they may hold a password)', () => {
    expect(() => databaseTarget({ databaseUrl: 'mysql://root:secret@h/db', dataDir: '/d' })).toThrow(
      /^DATABASE_URL must start with postgres:\/\/, postgresql:\/\/ or file:$/,
    );
  });
});
