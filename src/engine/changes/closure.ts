import { noticeCard } from '../../messages/cards.ts';
import type { StaffRecord, Tx } from '../../ports/store.ts';
import { authorOf, type EngineDeps } from '../base/context.ts';
import { afterChange, postToThread } from '../base/effects.ts';
import { appendEntry } from '../record/append-entry.ts';

/** Closes an episode on a manager's approval: the status, the record entry, the schedule and the thread. */
export async function closeEpisode(
  tx: Tx,
  deps: EngineDeps,
  staff: StaffRecord,
  approvalId: string,
  episodeId: string,
  reason: string,
  at: Date,
): Promise<void> {
  await tx.episodes.update(episodeId, { status: 'closed', closedAt: at });
  await appendEntry(tx, episodeId, authorOf(staff), at, {
    kind: 'closed',
    text: `Episode closed. ${reason}`,
    data: { approvalId },
  });
  const after = await afterChange(tx, deps, episodeId, at);
  await postToThread(
    tx,
    after,
    noticeCard(`Episode closed by ${staff.displayName}. The record is kept in full.`, 'success'),
    at,
  );
}
