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

/**
 * Sends one claimed ping, in one transaction: if its reason still holds, the record entry, the
 * thread message and the direct messages are written and the ping is marked sent; otherwise it
 * is cancelled. Marking sent is conditional on this instance's claim, so a ping taken over by
 * another instance after a lapsed lease is never sent twice.
 */
/** Another instance took the ping over (our lease lapsed): undo everything written for it. */
class LostClaim extends Error {}
const rollback = (): never => {
  throw new LostClaim();
};

async function sendOne(
  tx: Tx,
  deps: EngineDeps,
  ping: PingRecord,
  instanceId: string,
  now: Date,
): Promise<'sent' | 'cancelled' | 'lost'> {
  // Reminders that follow something other than the ladder: a handover, an approval.
  const follow = ping.rule.startsWith('handover-')
    ? sendHandoverReminder
    : ping.rule === APPROVAL_TIMEOUT_RULE
      ? sendApprovalReminder
      : ping.rule === RISK_REVIEW_RULE
        ? sendRiskReviewReminder
        : null;
  if (follow) {
    if (!(await follow(tx, deps, ping, now))) {
      await tx.pings.cancel([ping.id], 'already dealt with', now);
      return 'cancelled';
    }
    return (await tx.pings.markSent(ping.id, instanceId, now)) ? 'sent' : rollback();
  }
  if (!ping.episodeId) {
    await tx.pings.cancel([ping.id], 'no episode', now);
    return 'cancelled';
  }
  const scope = await loadScope(tx, deps, ping.episodeId);
  const stillWanted = plannedPings(scope.episode, scope.ladder, now).some((p) => p.key === ping.key);
  if (!stillWanted) {
    await tx.pings.cancel([ping.id], 'reason no longer holds', now);
    // A repeating rung whose missed occurrence is superseded (the bot was down) still holds:
    // schedule its current occurrence, or it would be sent never rather than late.
    await reschedule(tx, scope, now);
    return 'cancelled';
  }
  const rung = scope.protocol.ladder.find((r) => r.id === ping.rule);
  if (!rung) {
    await tx.pings.cancel([ping.id], 'rule no longer in the protocol', now);
    return 'cancelled';
  }
  if (!(await tx.pings.markSent(ping.id, instanceId, now))) return 'lost';
  const text = pingText(rung, scope);
  const staff = await tx.staff.listForHome(scope.home.id);
  const people = audienceOf(scope, staff, rung.audience, now);
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
    const identity = (await tx.staff.identities(person.id)).find((i) => i.platform === scope.episode.platform);
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
  // Repeating rungs get their next occurrence now rather than at the next state change; the
  // episode's card then shows the new "next" and how long the child has been missing.
  const pending = await reschedule(tx, scope, now);
  await refreshEpisodeCard(tx, scope, now, { staff, pending });
  return 'sent';
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
  for (const ping of claimed) {
    try {
      run[await deps.store.transaction((tx) => sendOne(tx, deps, ping, instanceId, now))] += 1;
    } catch (error) {
      // One ping failing must not hold up the rest: its lease lapses and it is tried again.
      if (error instanceof LostClaim) run.lost += 1;
      else run.failed.push(error instanceof Error ? error.message : String(error));
    }
  }
  return run;
}
