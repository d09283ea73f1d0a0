import { noticeCard } from '../../messages/cards.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from './append-entry.ts';
import { authorOf, loadForItem, ok, refuse, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { afterChange } from '../base/effects.ts';

/** Ticks a checklist item, or marks it not applicable with a reason. A second press changes nothing. */
export async function updateItem(
  tx: Tx,
  deps: EngineDeps,
  cmd: CommandOf<'tick_item'> | CommandOf<'mark_not_applicable'>,
): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadForItem(tx, deps, cmd.episodeId, staff, cmd.itemId);
  const item = scope.protocol.checklist.find((i) => i.id === cmd.itemId);
  if (!item) return refuse('unknown_item');
  const done = scope.episode.checklist[item.id];
  if (done) return ok({ episodeId: scope.episode.id, reply: noticeCard(`“${item.label}” was already recorded.`) });

  if (cmd.type === 'tick_item') {
    await tx.episodes.setItem(scope.episode.id, item.id, {
      status: 'done',
      reason: null,
      byStaffId: staff.id,
      at: now,
    });
    await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
      kind: 'item_done',
      text: `Done: ${item.label}`,
      data: { itemId: item.id },
    });
  } else {
    if (!item.canBeNotApplicable) return refuse('item_cannot_be_na', { label: item.label });
    const reason = cmd.reason.trim();
    if (!reason) return refuse('reason_required');
    await tx.episodes.setItem(scope.episode.id, item.id, {
      status: 'not_applicable',
      reason,
      byStaffId: staff.id,
      at: now,
    });
    await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
      kind: 'item_not_applicable',
      text: `Not applicable: ${item.label} — ${reason}`,
      data: { itemId: item.id, reason },
    });
  }
  await afterChange(tx, deps, scope.episode.id, now, [item.stage]);
  return ok({ episodeId: scope.episode.id });
}
