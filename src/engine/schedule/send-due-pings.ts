import { addEpisodeMinutes } from '../../domain/episode.ts';
import { deadlineOf, plannedPings } from '../../domain/ladder.ts';
import { pingCard } from '../../messages/cards.ts';
import { formatTime } from '../../messages/format.ts';
import type { PingRecord, StaffRecord, Tx } from '../../ports/store.ts';
import type { LadderRung } from '../../protocol/schema.ts';
import { appendEntry } from '../record/append-entry.ts';
import { BOT_AUTHOR, loadScope, type EngineDeps, type EpisodeScope } from '../base/context.ts';
import { postToThread, refreshEpisodeCard, reschedule } from '../base/effects.ts';
import { audienceNames, audienceOf } from '../base/audience.ts';
import { sendApprovalReminder } from '../approvals/approval-timeout.ts';
import { sendHandoverReminder } from '../handover/handover.ts';
import { APPROVAL_TIMEOUT_RULE } from '../approvals/request-approval.ts';
import { RISK_REVIEW_RULE, sendRiskReviewReminder } from './risk-review.ts';

export interface PingRun {
  sent: number;
  cancelled: number;
  lost: number;
  /** Why pings could not be sent this time (they are retried once their lease lapses). */
  failed: string[];
}

function pingText(rung: LadderRung, scope: EpisodeScope): string {
  const e = scope.episode;
  const tz = scope.home.timeZone;
  const rhiDue = e.returnedAt
    ? formatTime(addEpisodeMinutes(e, e.returnedAt, scope.protocol.rhiWithinHours * 60), tz)
    : '';
  const deadline = deadlineOf(rung, e, scope.ladder);
  return rung.text
    .replaceAll('{alias}', e.alias)
    .replaceAll('{rhiDue}', rhiDue)
    .replaceAll('{deadline}', deadline ? formatTime(deadline, tz) : '');
}

/** Another instance took the ping over (our lease lapsed): undo everything written for it. */
class LostClaim extends Error {}
const rollback = (): never => {
  throw new LostClaim();
};

type Outcome = 'sent' | 'cancelled' | 'lost';

/** A reminder that follows something other than the ladder (a handover, an approval, a risk review). */
function followerOf(ping: PingRecord) {
  if (ping.rule.startsWith('handover-')) return sendHandoverReminder;
  if (ping.rule === APPROVAL_TIMEOUT_RULE) return sendApprovalReminder;
  if (ping.rule === RISK_REVIEW_RULE) return sendRiskReviewReminder;
  return null;
}

/** Sends one claimed reminder that follows a handover, an approval or a risk review, or cancels it. */
async function sendFollower(
  tx: Tx,
  deps: EngineDeps,
  ping: PingRecord,
  instanceId: string,
  now: Date,
): Promise<Outcome> {
  const follow = followerOf(ping);
  if (!follow || !(await follow(tx, deps, ping, now))) {
    await tx.pings.cancel([ping.id], follow ? 'already dealt with' : 'no episode', now);
    return 'cancelled';
  }
  return (await tx.pings.markSent(ping.id, instanceId, now)) ? 'sent' : rollback();
}

/**
 * Sends the claimed ladder pings of one episode, in one transaction: each whose reason still
 * holds gets its record entry, thread message and direct messages and is marked sent; each whose
 * reason is gone is cancelled. The episode is read once, and its pings and card brought up to date
 * once, however many of its reminders fell due together. Marking sent is conditional on this
 * instance's claim and comes before anything is written for the ping, so a ping another instance
 * took over after a lapsed lease is never sent twice.
 */
async function sendEpisodePings(
  tx: Tx,
  deps: EngineDeps,
  episodeId: string,
  pings: PingRecord[],
  instanceId: string,
  now: Date,
): Promise<Outcome[]> {
  const scope = await loadScope(tx, deps, episodeId);
  const wanted = new Set(plannedPings(scope.episode, scope.ladder, now).map((p) => p.key));
  let known: { staff: StaffRecord[]; identities: Awaited<ReturnType<Tx['staff']['identitiesInHome']>> } | null = null;
  const outcomes: Outcome[] = [];
  for (const ping of pings) {
    const rung = scope.protocol.ladder.find((r) => r.id === ping.rule);
    if (!wanted.has(ping.key) || !rung) {
      // A repeating rung whose missed occurrence is superseded (the bot was down) still holds:
      // rescheduling below gives it its current occurrence, or it would be sent never, not late.
      await tx.pings.cancel([ping.id], rung ? 'reason no longer holds' : 'rule no longer in the protocol', now);
      outcomes.push('cancelled');
      continue;
    }
    if (!(await tx.pings.markSent(ping.id, instanceId, now))) {
      outcomes.push('lost');
      continue;
    }
    known ??= {
      staff: await tx.staff.listForHome(scope.home.id),
      identities: await tx.staff.identitiesInHome(scope.home.id),
    };
    const text = pingText(rung, scope);
    const people = audienceOf(scope, known.staff, rung.audience, now);
    const who = audienceNames(people, rung.audience);
    await appendEntry(tx, scope.episode.id, BOT_AUTHOR, now, {
      kind: 'ping',
      text: `${scope.episode.isDrill ? '[DRILL] ' : ''}Reminder to ${who}: ${text}`,
      data: {
        pingId: ping.id,
        rule: ping.rule,
        audience: rung.audience,
        dueAt: ping.dueAt.toISOString(),
        to: people.map((p) => p.id),
      },
    });
    // The people it is for are mentioned in the thread, so their platform notifies them.
    const addressed: { person: StaffRecord; platformUserId: string }[] = [];
    for (const person of people) {
      const identity = known.identities.get(person.id)?.find((i) => i.platform === scope.episode.platform);
      if (identity) addressed.push({ person, platformUserId: identity.platformUserId });
    }
    const card = pingCard(scope.episode, text, who, ping.dueAt, scope.home.timeZone, {
      mentions: addressed.map((a) => ({ name: a.person.displayName, platformUserId: a.platformUserId })),
    });
    await postToThread(tx, scope, card, now);
    if (scope.home.policy.remindersByDirectMessage)
      for (const { person, platformUserId } of addressed)
        await tx.outbox.enqueue({
          homeId: scope.home.id,
          episodeId: scope.episode.id,
          platform: scope.episode.platform,
          message: { target: { kind: 'direct', staffId: person.id, platformUserId }, card },
          at: now,
        });
    outcomes.push('sent');
  }
  if (outcomes.some((o) => o !== 'lost')) {
    // Repeating rungs get their next occurrence now rather than at the next state change; the
    // episode's card then shows the new "next" and how long the child has been missing.
    const pending = await reschedule(tx, scope, now);
    if (known) await refreshEpisodeCard(tx, scope, now, { staff: known.staff, pending });
  }
  return outcomes;
}

/** The claimed pings in the order claimed, those of one episode's ladder together. */
function batches(claimed: PingRecord[]): ({ episodeId: string; pings: PingRecord[] } | PingRecord)[] {
  const out: ({ episodeId: string; pings: PingRecord[] } | PingRecord)[] = [];
  const byEpisode = new Map<string, { episodeId: string; pings: PingRecord[] }>();
  for (const ping of claimed) {
    if (followerOf(ping) || !ping.episodeId) {
      out.push(ping);
      continue;
    }
    let batch = byEpisode.get(ping.episodeId);
    if (!batch) {
      batch = { episodeId: ping.episodeId, pings: [] };
      byEpisode.set(ping.episodeId, batch);
      out.push(batch);
    }
    batch.pings.push(ping);
  }
  return out;
}

/** Claims the pings due at `now` and sends each once. Late rather than never: overdue ones go too. */
export async function sendDuePings(
  deps: EngineDeps,
  instanceId: string,
  opts: { leaseMs?: number; limit?: number } = {},
): Promise<PingRun> {
  const now = deps.clock.now();
  const claimed = await deps.store.claimDuePings(
    now,
    instanceId,
    new Date(now.getTime() + (opts.leaseMs ?? 60_000)),
    opts.limit ?? 100,
  );
  const run: PingRun = { sent: 0, cancelled: 0, lost: 0, failed: [] };
  /** Runs one transaction's pings and counts what became of them; `quietly`: a failure is not counted. */
  const attempt = async (work: (tx: Tx) => Promise<Outcome[]>, quietly = false): Promise<boolean> => {
    try {
      for (const outcome of await deps.store.transaction(work)) run[outcome] += 1;
      return true;
    } catch (error) {
      if (quietly) return false;
      // One ping failing must not hold up the rest: its lease lapses and it is tried again.
      if (error instanceof LostClaim) run.lost += 1;
      else run.failed.push(error instanceof Error ? error.message : String(error));
      return false;
    }
  };
  for (const batch of batches(claimed)) {
    if (!('pings' in batch)) {
      await attempt(async (tx) => [await sendFollower(tx, deps, batch, instanceId, now)]);
      continue;
    }
    const send = (pings: PingRecord[]) => (tx: Tx) =>
      sendEpisodePings(tx, deps, batch.episodeId, pings, instanceId, now);
    if (batch.pings.length === 1) await attempt(send(batch.pings));
    // Should the episode's batch fail as a whole, each ping goes on its own, so that one bad
    // ping holds up no other.
    else if (!(await attempt(send(batch.pings), true))) for (const ping of batch.pings) await attempt(send([ping]));
  }
  return run;
}
