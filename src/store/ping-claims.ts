// Which due pings a claim takes, on either database: the `limit` earliest pending pings due at
// `now` that nobody holds with a live lease, together with the other such pings of their episodes.
// An episode's reminders that fell due together (after the bot was down, or when rungs share a
// time) are then sent in one transaction, reading the episode and updating its card once, rather
// than one by one across claims. An episode has at most one pending ping per rung of its ladder
// and per reminder that follows something (an approval, a risk review), so a claim stays small:
// six hundred pings, a hundred episodes', send in a few seconds, well within the lease.
//
// Each claim is one statement. On PostgreSQL both selections lock the rows they pick and skip rows
// another instance's claim is locking (FOR UPDATE SKIP LOCKED), so two instances claiming at once
// get disjoint sets without waiting on each other; SQLite has one writer at a time. A ping whose
// lease has run out (its instance died) is claimable again. Only ids come back; the caller loads
// the rows through the typed client. Table and column names are the quoted ones of the
// migrations; every value is a bound parameter.
import { sqltag as sql } from '@prisma/client/runtime/client';
import type { PrismaClient } from './generated/sqlite/client.ts';
import type { ClaimArgs } from './pg-claims.ts';
import type { Provider } from './schema-engine.ts';

/** The earliest claimable pings (a CTE's body): PostgreSQL appends its row locks. */
const earliest = (a: ClaimArgs) => sql`
  SELECT f."id", f."episodeId" FROM "Ping" f
   WHERE f."status" = 'pending' AND f."dueAt" <= ${a.now}
     AND (f."claimedBy" IS NULL OR f."leaseUntil" < ${a.now})
   ORDER BY f."dueAt" ASC, f."id" ASC
   LIMIT ${a.limit}`;

/** Claims due pings (see above) for `instanceId` until `leaseUntil`; returns their ids. */
export async function claimDuePingIds(prisma: PrismaClient, provider: Provider, a: ClaimArgs): Promise<string[]> {
  const rows =
    provider === 'postgresql'
      ? await prisma.$queryRaw<{ id: string }[]>`
    WITH first AS (${earliest(a)} FOR UPDATE SKIP LOCKED),
    together AS (
      SELECT t."id" FROM "Ping" t
       WHERE t."status" = 'pending' AND t."dueAt" <= ${a.now}
         AND (t."claimedBy" IS NULL OR t."leaseUntil" < ${a.now})
         AND t."episodeId" IN (SELECT "episodeId" FROM first)
       FOR UPDATE SKIP LOCKED)
    UPDATE "Ping"
       SET "claimedBy" = ${a.instanceId}, "leaseUntil" = ${a.leaseUntil}
     WHERE "id" IN (SELECT "id" FROM first UNION SELECT "id" FROM together)
    RETURNING "id"`
      : await prisma.$queryRaw<{ id: string }[]>`
    WITH first AS (${earliest(a)})
    UPDATE "Ping"
       SET "claimedBy" = ${a.instanceId}, "leaseUntil" = ${a.leaseUntil}
     WHERE "status" = 'pending' AND "dueAt" <= ${a.now}
       AND ("claimedBy" IS NULL OR "leaseUntil" < ${a.now})
       AND ("id" IN (SELECT "id" FROM first) OR "episodeId" IN (SELECT "episodeId" FROM first))
    RETURNING "id"`;
  return rows.map((r) => r.id);
}
