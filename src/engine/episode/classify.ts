import { isClassificationDowngrade } from '../../domain/episode.ts';
import { noticeCard } from '../../messages/cards.ts';
import { label } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { authorOf, loadActive, ok, refuse, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { afterChange, postToThread } from '../base/effects.ts';
import { requestApproval } from '../approvals/request-approval.ts';

/**
 * Changes the classification. Towards "missing" it applies at once; away from it (a downgrade)
 * it becomes a request for a manager, and the child stays treated as missing meanwhile.
 */
export async function classify(tx: Tx, deps: EngineDeps, cmd: CommandOf<'classify'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  const from = scope.episode.classification;
  const reason = cmd.reason.trim();
  if (!reason) return refuse('reason_required');
  if (from === cmd.classification) return refuse('no_change');
  if (isClassificationDowngrade(from, cmd.classification)) {
    await requestApproval(tx, scope, staff, 'downgrade_classification', { from, to: cmd.classification, reason }, now);
    return ok({
      episodeId: scope.episode.id,
      reply: noticeCard(
        `A manager has been asked to approve the change to ${label(cmd.classification).toLowerCase()}. Until then ${scope.episode.alias} stays ${label(from).toLowerCase()}.`,
      ),
    });
  }
  await applyClassification(tx, deps, scope.episode.id, staff.id, authorOf(staff), cmd.classification, reason, now);
  return ok({ episodeId: scope.episode.id });
}

/** Records a classification change (history, episode, record, thread, schedule) in one go. */
export async function applyClassification(
  tx: Tx,
  deps: EngineDeps,
  episodeId: string,
  byStaffId: string,
  author: ReturnType<typeof authorOf>,
  to: CommandOf<'classify'>['classification'],
  reason: string,
  at: Date,
): Promise<void> {
  const before = await tx.episodes.get(episodeId);
  await tx.episodes.update(episodeId, { classification: to });
  await tx.episodes.addClassification(episodeId, { classification: to, at, byStaffId, reason });
  await appendEntry(tx, episodeId, author, at, {
    kind: 'classification',
    text: `Classification changed from ${label(before?.classification ?? 'missing').toLowerCase()} to ${label(to).toLowerCase()}. Reason: ${reason}`,
    data: { from: before?.classification ?? null, to, reason },
  });
  const scope = await afterChange(tx, deps, episodeId, at);
  await postToThread(tx, scope, noticeCard(`Classification is now ${label(to).toLowerCase()} (${author.name}).`), at);
}
