import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, sqliteFileName } from '../../src/store/database.ts';
import { backoffMs } from '../../src/scheduler/deliver-outbox.ts';
import { tempDir } from '../support/temp.ts';

const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of open) await d.close();
});

describe('durability of what is acknowledged', () => {
  it('commits SQLite with synchronous=FULL in WAL mode, so a power cut keeps every acknowledged entry', async () => {
    const dir = tempDir('durability-');
    const database = await openDatabase({ dataDir: dir });
    open.push(database);
    const [sync] = await database.prisma.$queryRawUnsafe<{ synchronous: number | bigint }[]>('PRAGMA synchronous');
    expect(Number(sync!.synchronous)).toBe(2); // FULL
    // WAL is a property of the file: another connection sees it too.
    const other = new Database(path.join(dir, sqliteFileName), { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
  });

  it('tries a platform that was down again within a minute, however long the outage', () => {
    expect([0, 1, 2, 3, 4].map(backoffMs)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    for (let n = 5; n < 40; n++) expect(backoffMs(n)).toBe(60_000);
  });
});
