// A thread message's write on PostgreSQL in one statement, with no transaction held open around
// it: the event id and the entries go in together or not at all (one statement is atomic), the
// event's insert-or-ignore decides whether anything is written (a duplicate writes nothing), and
// the record's unique (episodeId, seq) refuses the whole statement if another writer appended
// after the head the entries were chained to — the caller then reads again and re-plans.
// Table and column names are the quoted ones of prisma/migrations/postgresql; every value is a
// bound parameter, cast to its column's type (values in a VALUES list are otherwise text).
import { randomUUID } from 'node:crypto';
import type { RecordEntry } from '../domain/record.ts';
// The SQL template helpers themselves, not through a generated client (which would load it).
import { join, raw, sqltag as sql, type Sql } from '@prisma/client/runtime/client';

const columns = raw(
  '"id", "episodeId", "seq", "at", "authorStaffId", "authorName", "authorRole", "kind", "text", "dataJson", ' +
    '"platform", "platformMessageId", "amendsEntryId", "prevHash", "hash"',
);

const row = (e: RecordEntry) =>
  sql`(${randomUUID()}::text, ${e.episodeId}::text, ${e.seq}::integer, ${e.at}::timestamp(3),
    ${e.authorStaffId}::text, ${e.authorName}::text, ${e.authorRole}::text, ${e.kind}::text, ${e.text}::text,
    ${e.dataJson}::text, ${e.platform}::text, ${e.platformMessageId}::text, ${e.amendsEntryId}::text,
    ${e.prevHash}::text, ${e.hash}::text)`;

/** A thread message whose write must find it not yet in the record (see threadEntriesWrite). */
export interface NotYetRecorded {
  episodeId: string;
  platform: string;
  platformMessageId: string;
}

/** True while the episode's record holds no entry of this platform message (as its first, 'message'). */
const unrecorded = (m: NotYetRecorded | null) =>
  m
    ? sql`NOT EXISTS (SELECT 1 FROM "LogEntry" l WHERE l."episodeId" = ${m.episodeId}::text
            AND l."platform" = ${m.platform}::text AND l."platformMessageId" = ${m.platformMessageId}::text
            AND l."kind" = 'message')`
    : sql`TRUE`;

/**
 * The statement writing the entries (and the event id, when there is one); it changes as many
 * rows as there are entries, or none when the event was seen before. With `notYetRecorded` it
 * also writes nothing (the event id included) when the message is in the record already: the
 * entries were planned without reading that, and the caller then reads and plans again.
 */
export function threadEntriesWrite(
  event: { key: string; at: Date } | null,
  entries: RecordEntry[],
  notYetRecorded: NotYetRecorded | null = null,
): Sql {
  const values = join(entries.map(row));
  if (!event)
    return sql`INSERT INTO "LogEntry" (${columns}) SELECT v.* FROM (VALUES ${values}) AS v WHERE ${unrecorded(notYetRecorded)}`;
  return sql`
    WITH fresh AS (
      INSERT INTO "ProcessedEvent" ("id", "receivedAt")
      SELECT ${event.key}::text, ${event.at}::timestamp(3) WHERE ${unrecorded(notYetRecorded)}
      ON CONFLICT DO NOTHING
      RETURNING 1)
    INSERT INTO "LogEntry" (${columns})
    SELECT v.* FROM (VALUES ${values}) AS v WHERE EXISTS (SELECT 1 FROM fresh)`;
}
