import { isClassificationDowngrade } from '../../domain/episode.ts';
import { noticeCard } from '../../messages/cards.ts';
import { label } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { authorOf, loadActive, ok, refuse, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { applyClassification } from '../changes/classification.ts';
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
