import { noticeCard } from '../../messages/cards.ts';
import { formatTime } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { autoTick, markLapsed, markNotApplicable, stagesOf } from '../record/auto-tick.ts';
import { authorOf, loadActive, ok, refuse, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, postToThread, showChecklist } from '../base/effects.ts';

const NOT_REPORTED = 'the police were not told of this episode';

/**
 * Records the child's return: when, how, where found, condition, and any exploitation
 * indicators (any one of which prompts escalation). Starts the 72-hour RHI clock.
 */
export async function recordReturn(tx: Tx, deps: EngineDeps, cmd: CommandOf<'record_return'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  if (scope.episode.status === 'returned') return refuse('already_returned');
  const since = scope.episode.lastSeenAt ?? scope.episode.openedAt;
  checkTime('time of return', cmd.at, now, { at: since, what: 'the child was last seen' });
  const unknown = cmd.indicators.filter((i) => !scope.protocol.exploitationIndicators.some((x) => x.id === i));
  if (unknown.length > 0) return refuse('invalid_input', { problems: [`unknown indicator ${unknown.join(', ')}`] });
  const indicators = cmd.indicators.map((i) => scope.protocol.exploitationIndicators.find((x) => x.id === i)!.label);
  const details = {
    how: cmd.how,
    whereFound: cmd.whereFound,
    condition: cmd.condition,
    indicators: cmd.indicators,
    notes: cmd.notes ?? null,
  };
  await tx.episodes.update(scope.episode.id, { status: 'returned', returnedAt: cmd.at, returnDetails: details });
  const ticked = await autoTick(tx, scope, ['record-condition', 'exploitation-check'], staff, now);
  // Never reported (the decision not to is in the record): no one at the police is waiting to hear.
  const unreported = scope.episode.police
    ? []
    : await markNotApplicable(tx, scope, ['tell-police-return'], NOT_REPORTED, staff, now);
  // The search is over: what is left of it no longer applies, so what is due after the return leads.
  const lapsed = await markLapsed(tx, scope, ['establish', 'search'], 'child returned', staff, now);
  const tz = scope.home.timeZone;
  const text =
    `Returned ${formatTime(cmd.at, tz)} (${cmd.how}), found at ${cmd.whereFound}. Condition: ${cmd.condition}.` +
    (indicators.length
      ? ` Exploitation indicators seen: ${indicators.join('; ')}.`
      : ' No exploitation indicators seen.') +
    (cmd.notes ? ` ${cmd.notes}` : '');
  await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
    kind: 'returned',
    text,
    data: { ...details, at: cmd.at.toISOString(), ticked },
  });
  if (lapsed.length > 0)
    await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
      kind: 'item_not_applicable',
      text: `Not applicable now the child is back: ${lapsed.map((id) => scope.protocol.checklist.find((i) => i.id === id)!.label).join('; ')}.`,
      data: { itemIds: lapsed, reason: 'child returned' },
    });
  if (unreported.length > 0)
    await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
      kind: 'item_not_applicable',
      text: `Not applicable: ${unreported.map((id) => scope.protocol.checklist.find((i) => i.id === id)!.label).join('; ')} — ${NOT_REPORTED}.`,
      data: { itemIds: unreported, reason: NOT_REPORTED },
    });
  const after = await afterChange(
    tx,
    deps,
    scope.episode.id,
    now,
    stagesOf(scope, [...ticked, ...lapsed]).filter((s) => s !== 'return'),
  );
  await postToThread(tx, after, noticeCard(text, 'success'), now);
  if (indicators.length > 0) {
    await postToThread(
      tx,
      after,
      noticeCard(
        `Exploitation indicators were seen (${indicators.join('; ')}). Escalate to the manager and the social worker now, and consider a MASH referral or a police report.`,
        'urgent',
      ),
      now,
    );
  }
  await showChecklist(tx, after, 'return', now);
  await showChecklist(tx, after, 'review', now);
  return ok({ episodeId: scope.episode.id });
}
