// Which outbox messages may go out now, on either database: pending, due, not out with a live
// lease, and with no older message of their episode on their platform still pending (claimed by
// someone or not, due or not). An episode's messages on a platform thus go out in order, one at a
// time, and nothing overtakes an older one waiting to be retried; another platform's copy (a
// manager's playground copy of an approval, which a Slack-only instance never sends) holds nothing
// back, and messages held back take no place among the `limit` chosen.
// Table and column names are the quoted ones of the migrations; every value is a bound parameter.
import { sqltag as sql } from '@prisma/client/runtime/client';

/** The ids of up to `limit` outbox messages that may go out at `now`, oldest first (a SELECT). */
export const outboxDueInOrder = (now: Date, limit: number) => sql`
  SELECT m."id" FROM "OutboxMessage" m
   WHERE m."status" = 'pending'
     AND m."nextAttemptAt" <= ${now}
     AND (m."claimedBy" IS NULL OR m."leaseUntil" < ${now})
     AND NOT EXISTS (
       SELECT 1 FROM "OutboxMessage" older
        WHERE older."episodeId" = m."episodeId"
          AND older."platform" = m."platform"
          AND older."status" = 'pending'
          AND older."id" < m."id")
   ORDER BY m."id" ASC
   LIMIT ${limit}`;
