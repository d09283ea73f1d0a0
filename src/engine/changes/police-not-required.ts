import { noticeCard } from '../../messages/cards.ts';
import type { StaffRecord, Tx } from '../../ports/store.ts';
import { authorOf, type EngineDeps, type EpisodeScope } from '../base/context.ts';
import { afterChange, postToThread } from '../base/effects.ts';
import { appendEntry } from '../record/append-entry.ts';
import { autoTick, stagesOf } from '../record/auto-tick.ts';

/**
 * A manager has agreed that the police need not be told: the decision is recorded as theirs, the
 * "report to police" item is dealt with and its reminder stops.
 */
export async function agreePoliceNotRequired(
  tx: Tx,
  deps: EngineDeps,
  scope: EpisodeScope,
  manager: StaffRecord,
  requester: string,
  reason: string,
  at: Date,
): Promise<void> {
  await tx.episodes.addNotification(scope.episode.id, {
    party: 'police',
    decision: 'not_required',
    method: null,
    response: null,
    reason,
    at,
    byStaffId: manager.id,
  });
  const ticked = await autoTick(tx, scope, ['report-police'], manager, at);
  const text = `Agreed not to report to the police (asked by ${requester}, agreed by ${manager.displayName}): ${reason}`;
  await appendEntry(tx, scope.episode.id, authorOf(manager), at, {
    kind: 'notification',
    text,
    data: { party: 'police', decision: 'not_required', reason, requestedBy: requester, ticked },
  });
  const after = await afterChange(tx, deps, scope.episode.id, at, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(text, 'warning'), at);
}
