// Claims of work due now, on either database: due pings and outbox messages. Each claim is one
// statement that stamps the rows it takes with this instance's id and a lease, and returns their
// ids; the caller loads the rows through the typed client. A row whose lease has run out (its
// instance died) is claimable again.
//
// On PostgreSQL, where several bot instances share one database, each selection locks the rows it
// picks and skips rows another instance's claim is locking right now (FOR UPDATE SKIP LOCKED), so
// two instances claiming at once get disjoint sets without waiting on each other. SQLite has one
// writer at a time, so the same statement without locks is an exact claim there.
//
// Table and column names are the quoted ones of the migrations; every value is a bound parameter.
import { raw } from '@prisma/client/runtime/client';
import type { PrismaClient } from './generated/sqlite/client.ts';
import type { Provider } from './schema-engine.ts';

/** What a claim needs: the time, who claims, until when, and how many rows to start from. */
export interface ClaimArgs {
  now: Date;
  instanceId: string;
  leaseUntil: Date;
  limit: number;
}

/** Row locks on PostgreSQL (of the rows of alias `of`, when given); nothing on SQLite. */
const locked = (provider: Provider, of?: string) =>
  raw(provider === 'postgresql' ? ` FOR UPDATE${of ? ` OF ${of}` : ''} SKIP LOCKED` : '');

// Due pings: the `limit` earliest pending pings due at `now` that nobody holds with a live lease,
// together with the other such pings of their episodes. An episode's reminders that fell due
// together (after the bot was down, or when rungs share a time) are then sent in one
// transaction, reading the episode and updating its card once, rather than one by one across
// claims. An episode has at most one pending ping per rung of its ladder and per reminder that
// follows something (an approval, a risk review), so a claim stays small: six hundred pings, a
// hundred episodes', send in a few seconds, well within the lease.

/** Claims due pings (see above) for `instanceId` until `leaseUntil`; returns their ids. */
export async function claimDuePingIds(prisma: PrismaClient, provider: Provider, a: ClaimArgs): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    WITH first AS (
      SELECT f."id", f."episodeId" FROM "Ping" f
       WHERE f."status" = 'pending' AND f."dueAt" <= ${a.now}
         AND (f."claimedBy" IS NULL OR f."leaseUntil" < ${a.now})
       ORDER BY f."dueAt" ASC, f."id" ASC
       LIMIT ${a.limit}${locked(provider)}),
    together AS (
      SELECT t."id" FROM "Ping" t
       WHERE t."status" = 'pending' AND t."dueAt" <= ${a.now}
         AND (t."claimedBy" IS NULL OR t."leaseUntil" < ${a.now})
         AND t."episodeId" IN (SELECT "episodeId" FROM first)${locked(provider)})
    UPDATE "Ping"
       SET "claimedBy" = ${a.instanceId}, "leaseUntil" = ${a.leaseUntil}
     WHERE "id" IN (SELECT "id" FROM first UNION SELECT "id" FROM together)
    RETURNING "id"`;
  return rows.map((r) => r.id);
}

// Outbox messages that may go out now: pending, due, not out with a live lease, and with no older
// message of their episode on their platform still pending (claimed by someone or not, due or
// not). An episode's messages on a platform thus go out in order, one at a time, and nothing
// overtakes an older one waiting to be retried; another platform's copy (a manager's playground
// copy of an approval, which a Slack-only instance never sends) holds nothing back, and messages
// held back take no place among the `limit` chosen.

/** Claims up to `limit` outbox messages that may go out at `now` (see above), oldest first; returns their ids. */
export async function claimDueOutboxIds(prisma: PrismaClient, provider: Provider, a: ClaimArgs): Promise<number[]> {
  const rows = await prisma.$queryRaw<{ id: number | bigint }[]>`
    UPDATE "OutboxMessage"
       SET "claimedBy" = ${a.instanceId}, "leaseUntil" = ${a.leaseUntil}
     WHERE "id" IN (
       SELECT m."id" FROM "OutboxMessage" m
        WHERE m."status" = 'pending'
          AND m."nextAttemptAt" <= ${a.now}
          AND (m."claimedBy" IS NULL OR m."leaseUntil" < ${a.now})
          AND NOT EXISTS (
            SELECT 1 FROM "OutboxMessage" older
             WHERE older."episodeId" = m."episodeId"
               AND older."platform" = m."platform"
               AND older."status" = 'pending'
               AND older."id" < m."id")
        ORDER BY m."id" ASC
        LIMIT ${a.limit}${locked(provider, 'm')})
    RETURNING "id"`;
  return rows.map((r) => Number(r.id));
}
