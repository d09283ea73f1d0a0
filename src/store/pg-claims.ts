// Outbox claims on PostgreSQL (due pings: ping-claims.ts), where several bot instances share one
// database. Each claim is a single statement: the inner SELECT locks the rows it picks and skips
// rows another instance's claim is locking right now (FOR UPDATE SKIP LOCKED), and the outer
// UPDATE stamps them with this instance's id and lease. Two instances claiming at once therefore
// get disjoint sets, without waiting on each other and without a second round trip per row. A row
// whose lease has run out (its instance died) is claimable again.
//
// Only ids come back; the caller loads the rows through the typed client. Table and column names
// are the quoted ones of prisma/migrations/postgresql; every value is a bound parameter.
import type { PrismaClient } from './generated/sqlite/client.ts';
import { outboxDueInOrder } from './outbox-order.ts';

/** What a claim needs: the time, who claims, until when, and at most how many rows. */
export interface ClaimArgs {
  now: Date;
  instanceId: string;
  leaseUntil: Date;
  limit: number;
}

type IdRow<T> = { id: T };

/**
 * Claims up to `limit` outbox messages that may go out at `now` (outbox-order.ts), oldest first;
 * returns their ids.
 */
export async function claimDueOutboxIds(prisma: PrismaClient, a: ClaimArgs): Promise<number[]> {
  const rows = await prisma.$queryRaw<IdRow<number>[]>`
    UPDATE "OutboxMessage"
       SET "claimedBy" = ${a.instanceId}, "leaseUntil" = ${a.leaseUntil}
     WHERE "id" IN (${outboxDueInOrder(a.now, a.limit)} FOR UPDATE OF m SKIP LOCKED)
    RETURNING "id"`;
  return rows.map((r) => Number(r.id));
}
