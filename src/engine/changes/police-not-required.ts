import { noticeCard } from '../../messages/cards.ts';
import type { StaffRecord, Tx } from '../../ports/store.ts';
import { authorOf, type EngineDeps, type EpisodeScope } from '../base/context.ts';
import { audienceOf } from '../base/audience.ts';
import { afterChange, postToThread, sendDirect } from '../base/effects.ts';
import { appendEntry } from '../record/append-entry.ts';
import { autoTick, stagesOf } from '../record/auto-tick.ts';

/** Who decided the police need not be told, and who put it in the record. */
type Decision =
  /** A manager agreed in the thread to what a member of staff asked (a children's home). */
  | { by: 'manager'; manager: StaffRecord; requester: string }
  /** The child's social worker decided, and the carer recorded it (foster care). */
  | { by: 'childs_social_worker'; decidedBy: string; recorder: StaffRecord };

/** The decision in the record's words: who put it there, what it says, and who it names. */
function inWords(decision: Decision, reason: string) {
  switch (decision.by) {
    case 'manager':
      return {
        recorder: decision.manager,
        text: `Agreed not to report to the police (asked by ${decision.requester}, agreed by ${decision.manager.displayName}): ${reason}`,
        response: null,
        names: { requestedBy: decision.requester },
      };
    case 'childs_social_worker':
      return {
        recorder: decision.recorder,
        text: `The child’s social worker decided the police need not be told (decided by ${decision.decidedBy}, recorded by ${decision.recorder.displayName}): ${reason}`,
        response: `Decided by ${decision.decidedBy}, the child’s social worker`,
        names: { decidedBy: decision.decidedBy, decidedAs: 'childs_social_worker' },
      };
  }
}

/**
 * The decision that the police need not be told is recorded as its owner's: the "report to
 * police" item is dealt with and its reminder stops. A social worker's decision, taken outside the
 * bot, also goes straight to the managers and the child's placement, so no one learns of it late.
 */
export async function recordPoliceNotRequired(
  tx: Tx,
  deps: EngineDeps,
  scope: EpisodeScope,
  decision: Decision,
  reason: string,
  at: Date,
  now: Date = at,
): Promise<void> {
  const { recorder, text, response, names } = inWords(decision, reason);
  await tx.episodes.addNotification(scope.episode.id, {
    party: 'police',
    decision: 'not_required',
    method: null,
    response,
    reason,
    at,
    byStaffId: recorder.id,
  });
  const ticked = await autoTick(tx, scope, ['report-police'], recorder, now);
  await appendEntry(tx, scope.episode.id, authorOf(recorder), now, {
    kind: 'notification',
    text,
    data: { party: 'police', decision: 'not_required', reason, at: at.toISOString(), ...names, ticked },
  });
  const after = await afterChange(tx, deps, scope.episode.id, now, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(text, 'warning'), now);
  if (decision.by === 'childs_social_worker') {
    const staff = await tx.staff.listForHome(scope.home.id);
    const told = new Map(
      [...audienceOf(scope, staff, 'managers'), ...audienceOf(scope, staff, 'placement', now)]
        .filter((p) => p.id !== recorder.id)
        .map((p) => [p.id, p]),
    );
    await sendDirect(tx, scope.home, [...told.values()], noticeCard(`${scope.episode.alias}: ${text}`, 'warning'), now);
  }
}
