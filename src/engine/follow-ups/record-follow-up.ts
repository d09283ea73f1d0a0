import { noticeCard } from '../../messages/cards.ts';
import type { EpisodePatch, Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { autoTick, stagesOf } from '../record/auto-tick.ts';
import { authorOf, loadForFollowUp, ok, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, postToThread } from '../base/effects.ts';

const followUps = {
  police_told_of_return: {
    item: 'tell-police-return',
    words: 'Police told the child is back',
    kind: 'police_told_of_return',
  },
  safe_and_well: { item: 'safe-and-well', words: 'Police safe and well check recorded', kind: 'safe_and_well' },
  risk_assessment_updated: {
    item: 'update-risk-assessment',
    words: 'Risk assessment updated',
    kind: 'risk_assessment_updated',
  },
} as const;

/**
 * The follow-up a checklist item stands for: ticking the item records the follow-up itself, so
 * the tick and the record's field are one fact, never two that can disagree.
 */
export function followUpOfItem(itemId: string): keyof typeof followUps | null {
  const found = Object.entries(followUps).find(([, f]) => f.item === itemId);
  return found ? (found[0] as keyof typeof followUps) : null;
}

/** Records the steps after a return: police told, safe and well check, risk assessment updated. */
export async function recordFollowUp(tx: Tx, deps: EngineDeps, cmd: CommandOf<'record_follow_up'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadForFollowUp(tx, deps, cmd.episodeId, staff);
  const spec = followUps[cmd.what];
  checkTime('time', cmd.at, now);
  const at = cmd.at ?? now;
  const patch: EpisodePatch =
    cmd.what === 'police_told_of_return'
      ? { policeToldOfReturnAt: at }
      : cmd.what === 'safe_and_well'
        ? { safeAndWellAt: at }
        : { riskAssessmentUpdatedAt: at };
  await tx.episodes.update(scope.episode.id, patch);
  // A drill's practice update is not a review of the real child's risk assessment.
  if (cmd.what === 'risk_assessment_updated' && !scope.episode.isDrill)
    await tx.children.riskReviewed(scope.child.id, at);
  if (cmd.what === 'police_told_of_return')
    await tx.episodes.addNotification(scope.episode.id, {
      party: 'police',
      decision: 'notified',
      method: null,
      response: cmd.note ?? 'Told the child has returned',
      reason: null,
      at,
      byStaffId: staff.id,
    });
  const ticked = await autoTick(tx, scope, [spec.item], staff, now);
  const text = `${spec.words}.${cmd.note ? ` ${cmd.note}` : ''}`;
  await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
    kind: spec.kind,
    text,
    data: { at: at.toISOString(), note: cmd.note ?? null, ticked },
  });
  const after = await afterChange(tx, deps, scope.episode.id, now, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(text), now);
  return ok({ episodeId: scope.episode.id });
}
