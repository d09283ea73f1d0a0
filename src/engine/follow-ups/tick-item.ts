import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import type { EngineDeps, Result } from '../base/context.ts';
import { updateItem } from '../record/update-item.ts';
import { followUpOfItem, recordFollowUp } from './record-follow-up.ts';

/**
 * "Done" on a checklist item. On a follow-up's item (police told of the return, safe and well,
 * risk assessment updated) it is that follow-up, recorded in full, so the tick and the record's
 * field are one fact; a second press, or any other item, is an ordinary tick.
 */
export async function tickItem(tx: Tx, deps: EngineDeps, cmd: CommandOf<'tick_item'>): Promise<Result> {
  const followUp = followUpOfItem(cmd.itemId);
  const already = followUp ? (await tx.episodes.get(cmd.episodeId))?.checklist[cmd.itemId] : undefined;
  if (followUp && !already)
    return recordFollowUp(tx, deps, {
      type: 'record_follow_up',
      actor: cmd.actor,
      episodeId: cmd.episodeId,
      what: followUp,
    });
  return updateItem(tx, deps, cmd);
}
