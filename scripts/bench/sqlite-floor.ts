// The physical floor of the record path on SQLite: what the disk and SQLite allow with no ORM at
// all. One better-sqlite3 connection to a file of its own with the bot's settings (WAL, synchronous
// FULL), a table shaped like the record's, statements prepared once, and per entry one transaction
// that reads the chain's head, hashes the entry onto it and inserts it.
import path from 'node:path';
import Database from 'better-sqlite3';
import { entryHash, GENESIS_HASH, verifyChain, type RecordEntry } from '../../src/domain/record.ts';
import { tempDir } from './support.ts';

/** A chained-insert writer on a fresh file; `append` writes one entry, `verifies` re-checks the chain. */
export function sqliteFloor() {
  const db = new Database(path.join(tempDir('floor'), 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE "LogEntry" (
    "id" TEXT NOT NULL PRIMARY KEY, "episodeId" TEXT NOT NULL, "seq" INTEGER NOT NULL, "at" DATETIME NOT NULL,
    "authorStaffId" TEXT, "authorName" TEXT NOT NULL, "authorRole" TEXT NOT NULL, "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL, "dataJson" TEXT NOT NULL DEFAULT '{}', "platform" TEXT, "platformMessageId" TEXT,
    "amendsEntryId" TEXT, "prevHash" TEXT NOT NULL, "hash" TEXT NOT NULL);
    CREATE UNIQUE INDEX "LogEntry_episodeId_seq_key" ON "LogEntry"("episodeId", "seq");
    CREATE INDEX "LogEntry_episodeId_platformMessageId_idx" ON "LogEntry"("episodeId", "platformMessageId");`);
  const head = db.prepare<[string], { seq: number; hash: string }>(
    `SELECT "seq", "hash" FROM "LogEntry" WHERE "episodeId" = ? ORDER BY "seq" DESC LIMIT 1`,
  );
  const insert = db.prepare(
    `INSERT INTO "LogEntry" VALUES (@id, @episodeId, @seq, @at, @authorStaffId, @authorName, @authorRole, @kind,
       @text, @dataJson, @platform, @platformMessageId, @amendsEntryId, @prevHash, @hash)`,
  );
  const all = db.prepare<[string], RecordEntry & { at: string }>(
    `SELECT * FROM "LogEntry" WHERE "episodeId" = ? ORDER BY "seq"`,
  );
  const append = db.transaction((episodeId: string, text: string, messageId: string) => {
    const last = head.get(episodeId);
    const unsigned = {
      episodeId,
      seq: (last?.seq ?? 0) + 1,
      at: new Date(),
      authorStaffId: 'jo',
      authorName: 'Jo Reid',
      authorRole: 'support_worker',
      kind: 'message',
      text,
      dataJson: '{"files":[]}',
      platform: 'web',
      platformMessageId: messageId,
      amendsEntryId: null,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    insert.run({ ...unsigned, id: crypto.randomUUID(), at: unsigned.at.toISOString(), hash: entryHash(unsigned) });
  });
  return {
    append: (episodeId: string, text: string, messageId: string) => append(episodeId, text, messageId),
    verifies: (episodeId: string) => verifyChain(all.all(episodeId).map((e) => ({ ...e, at: new Date(e.at) }))).ok,
    close: () => db.close(),
  };
}
