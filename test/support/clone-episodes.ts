// Makes many episodes quickly by copying one the engine made, on PostgreSQL: its child, its
// episode row, its checklist, classification, risk, notification and contact rows, its pings
// (whose keys name the episode) and its record (re-chained, since each entry's hash covers its
// episode id). A copy is in exactly the state the engine would have left it in for another child,
// so at send time the ladder derives the same pings for it as for the original; only the chat
// output (the outbox) is not copied. Rows are copied whole through jsonb, so new columns come along.
import { entryHash, GENESIS_HASH } from '../../src/domain/record.ts';
import type { PrismaClient } from '../../src/store/generated/sqlite/client.ts';

/** Tables whose rows hang off an episode (by "episodeId") and are copied with it. */
const episodeTables = [
  'ChecklistItemState',
  'ClassificationChange',
  'RiskChange',
  'Notification',
  'ContactAttempt',
  'Ping',
] as const;

/** Copies the template episode `copies` times, each for a new child; returns the new episode ids. */
export async function cloneEpisode(prisma: PrismaClient, templateId: string, copies: number): Promise<string[]> {
  if (copies <= 0) return [];
  const episodeIds = Array.from({ length: copies }, (_, i) => `${templateId}-copy-${i + 1}`);
  await prisma.$transaction(
    async (db) => {
      // The copies: n, the new episode id, the new child id and alias.
      const copiesSql = `SELECT n, $1 || '-copy-' || n AS eid, e."childId" || '-copy-' || n AS cid,
                                'K' || lpad(n::text, 5, '0') AS alias
                           FROM "Episode" e, generate_series(1, $2::int) n WHERE e.id = $1`;
      await db.$executeRawUnsafe(
        `INSERT INTO "Child" SELECT copy.*
         FROM (${copiesSql}) c JOIN "Episode" e ON e.id = $1 JOIN "Child" ch ON ch.id = e."childId",
         LATERAL jsonb_populate_record(NULL::"Child", to_jsonb(ch) || jsonb_build_object('id', c.cid, 'alias', c.alias)) copy`,
        templateId,
        copies,
      );
      await db.$executeRawUnsafe(
        `INSERT INTO "Episode" SELECT copy.*
         FROM (${copiesSql}) c JOIN "Episode" e ON e.id = $1,
         LATERAL jsonb_populate_record(NULL::"Episode", to_jsonb(e) || jsonb_build_object('id', c.eid, 'childId', c.cid,
           'openChildId', CASE WHEN e."openChildId" IS NULL THEN NULL ELSE c.cid END)) copy`,
        templateId,
        copies,
      );
      for (const table of episodeTables) {
        // Rows with an id get a new one; a ping's key names its episode, so it is renamed too.
        await db.$executeRawUnsafe(
          `INSERT INTO "${table}" SELECT copy.*
           FROM (${copiesSql}) c JOIN "${table}" r ON r."episodeId" = $1,
           LATERAL (SELECT to_jsonb(r) AS j) src,
           LATERAL jsonb_populate_record(NULL::"${table}", src.j || jsonb_build_object('episodeId', c.eid)
             || CASE WHEN src.j ? 'id' THEN jsonb_build_object('id', (src.j->>'id') || '-copy-' || c.n) ELSE '{}' END
             || CASE WHEN src.j ? 'key' THEN jsonb_build_object('key', replace(src.j->>'key', $1, c.eid)) ELSE '{}' END
           ) copy`,
          templateId,
          copies,
        );
      }
      // The record is re-chained here: every hash covers the entry's episode id.
      const entries = await db.logEntry.findMany({ where: { episodeId: templateId }, orderBy: { seq: 'asc' } });
      const records = episodeIds.flatMap((episodeId) => {
        let prevHash = GENESIS_HASH;
        const idOf = (id: string) => `${id}-${episodeId}`;
        return entries.map((e) => {
          const { id, hash: _hash, ...rest } = e;
          const amendsEntryId = e.amendsEntryId ? idOf(e.amendsEntryId) : null;
          const unsigned = { ...rest, episodeId, amendsEntryId, prevHash };
          prevHash = entryHash(unsigned);
          return { ...unsigned, id: idOf(id), hash: prevHash };
        });
      });
      await db.$executeRawUnsafe(
        `INSERT INTO "LogEntry" SELECT copy.*
           FROM jsonb_array_elements($1::jsonb) x, LATERAL jsonb_populate_record(NULL::"LogEntry", x) copy`,
        JSON.stringify(records),
      );
    },
    { timeout: 120_000 },
  );
  return episodeIds;
}
