// The record path's statements, written once. The transaction client runs the insert and the
// event's through Prisma (tx.ts). A thread message runs them, and the read of its thread, without
// Prisma (prisma-store.ts): on SQLite on the connection itself (sqlite-lane.ts's `direct`), on
// PostgreSQL on the pool (the read; its write is pg-thread-write.ts). Quoted names as in
// prisma/migrations; bound values only.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../domain/episode.ts';
import type { RecordEntry } from '../domain/record.ts';
import type { ThreadState } from '../ports/store.ts';
// The SQL template helpers themselves, not through a generated client (which would load it).
import { sqltag as sql, type Sql } from '@prisma/client/runtime/client';

/** A new entry's insert, and the id it gives the entry. */
export function entryInsert(e: RecordEntry): { id: string; query: Sql } {
  const id = randomUUID();
  return {
    id,
    query: sql`
      INSERT INTO "LogEntry" ("id", "episodeId", "seq", "at", "authorStaffId", "authorName", "authorRole", "kind",
                              "text", "dataJson", "platform", "platformMessageId", "amendsEntryId", "prevHash", "hash")
      VALUES (${id}, ${e.episodeId}, ${e.seq}, ${e.at}, ${e.authorStaffId}, ${e.authorName}, ${e.authorRole},
              ${e.kind}, ${e.text}, ${e.dataJson}, ${e.platform}, ${e.platformMessageId}, ${e.amendsEntryId},
              ${e.prevHash}, ${e.hash})`,
  };
}

/** Marks an event processed; it changes one row the first time, none after. */
export const eventInsert = (id: string, at: Date) =>
  sql`INSERT INTO "ProcessedEvent" ("id", "receivedAt") VALUES (${id}, ${at}) ON CONFLICT DO NOTHING`;

/** The one read a thread message needs: the thread's episode, its chain head, the message's first entry. */
export const threadStateQuery = (platform: Platform, threadRef: string, platformMessageId: string) => sql`
  SELECT e."id" AS "episodeId", e."homeId" AS "homeId", h."seq" AS "headSeq", h."hash" AS "headHash",
         o."id" AS "originalId", o."seq" AS "originalSeq"
    FROM "Episode" e
    LEFT JOIN "LogEntry" h ON h."id" = (
      SELECT l."id" FROM "LogEntry" l WHERE l."episodeId" = e."id" ORDER BY l."seq" DESC LIMIT 1)
    LEFT JOIN "LogEntry" o ON o."id" = (
      SELECT l."id" FROM "LogEntry" l
       WHERE l."episodeId" = e."id" AND l."platform" = ${platform}
         AND l."platformMessageId" = ${platformMessageId} AND l."kind" = 'message'
       ORDER BY l."seq" ASC LIMIT 1)
   WHERE e."platform" = ${platform} AND e."threadRef" = ${threadRef}
   LIMIT 1`;

const threadRow = z.object({
  episodeId: z.string(),
  homeId: z.string(),
  headSeq: z.coerce.number().nullable(),
  headHash: z.string().nullable(),
  originalId: z.string().nullable(),
  originalSeq: z.coerce.number().nullable(),
});

/** The thread's state from threadStateQuery's rows (none: no episode has that thread). */
export function toThreadState(rows: readonly unknown[]): ThreadState | null {
  if (rows.length === 0) return null;
  const row = threadRow.parse(rows[0]);
  return {
    episodeId: row.episodeId,
    homeId: row.homeId,
    head: row.headSeq !== null && row.headHash !== null ? { seq: row.headSeq, hash: row.headHash } : null,
    original: row.originalId !== null && row.originalSeq !== null ? { id: row.originalId, seq: row.originalSeq } : null,
  };
}
