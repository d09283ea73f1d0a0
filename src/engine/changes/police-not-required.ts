import { inOfficeHours } from '../../domain/office-hours.ts';
import { noticeCard } from '../../messages/cards.ts';
import type { StaffRecord, Tx } from '../../ports/store.ts';
import { authorOf, type EngineDeps, type EpisodeScope } from '../base/context.ts';
import { afterChange, postToThread } from '../base/effects.ts';
import { appendEntry } from '../record/append-entry.ts';
import { autoTick, stagesOf } from '../record/auto-tick.ts';

/** Who decided the police need not be told, and who put it in the record. */
type Decision =
  /** A manager agreed in the thread to what a member of staff asked (a children's home). */
  | { by: 'manager'; manager: StaffRecord; requester: string }
  /** The child's social worker decided, and the carer recorded it (foster care). */
  | { by: 'childs_social_worker'; decidedBy: string; recorder: StaffRecord };

/**
 * The decision that the police need not be told is recorded as its owner's: the "report to
 * police" item is dealt with and its reminder stops.
 */
export async function recordPoliceNotRequired(
  tx: Tx,
  deps: EngineDeps,
  scope: EpisodeScope,
  decision: Decision,
  reason: string,
  at: Date,
): Promise<void> {
  const recorder = decision.by === 'manager' ? decision.manager : decision.recorder;
  await tx.episodes.addNotification(scope.episode.id, {
    party: 'police',
    decision: 'not_required',
    method: null,
    response: null,
    reason,
    at,
    byStaffId: recorder.id,
  });
  const ticked = await autoTick(tx, scope, ['report-police'], recorder, at);
  const text =
    decision.by === 'manager'
      ? `Agreed not to report to the police (asked by ${decision.requester}, agreed by ${decision.manager.displayName}): ${reason}`
      : `The child’s social worker decided the police need not be told (decided by ${decision.decidedBy}, recorded by ${recorder.displayName}): ${reason}`;
  const who =
    decision.by === 'manager'
      ? { requestedBy: decision.requester }
      : { decidedBy: decision.decidedBy, decidedAs: 'childs_social_worker' };
  await appendEntry(tx, scope.episode.id, authorOf(recorder), at, {
    kind: 'notification',
    text,
    data: { party: 'police', decision: 'not_required', reason, ...who, ticked },
  });
  const after = await afterChange(tx, deps, scope.episode.id, at, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(text, 'warning'), at);
}

/**
 * Whom the record names as the child's social worker when the carer does not: the plan's social
 * worker in office hours, its emergency duty team outside them.
 */
export function childsSocialWorker(scope: EpisodeScope, at: Date): string {
  const contacts = scope.child.plan.contacts;
  return inOfficeHours(at, scope.home.timeZone, scope.home.policy.officeHours)
    ? (contacts.socialWorker ?? 'the child’s social worker')
    : (contacts.placingAuthorityEdt ?? 'the emergency duty team');
}
