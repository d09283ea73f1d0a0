import { noticeCard } from '../../messages/cards.ts';
import type { StaffRecord, Tx } from '../../ports/store.ts';
import { authorOf, type EngineDeps } from '../base/context.ts';
import { afterChange, postToThread } from '../base/effects.ts';
import { appendEntry } from '../record/append-entry.ts';

/**
 * Closes an episode on a manager's approval: the status, the record entry, the schedule and the
 * thread. Follow-ups still due are named, and keep their reminders (the ladder's after-return rungs).
 */
export async function closeEpisode(
  tx: Tx,
  deps: EngineDeps,
  staff: StaffRecord,
  approvalId: string,
  episodeId: string,
  reason: string,
  followUps: string[],
  at: Date,
): Promise<void> {
  await tx.episodes.update(episodeId, { status: 'closed', closedAt: at });
  await appendEntry(tx, episodeId, authorOf(staff), at, {
    kind: 'closed',
    text: `Episode closed. ${reason}${followUps.length ? ` Closed with follow-ups outstanding: ${followUps.join('; ')}. Their reminders go on until each is recorded.` : ''}`,
    data: { approvalId, followUpsOutstanding: followUps },
  });
  const after = await afterChange(tx, deps, episodeId, at);
  await postToThread(
    tx,
    after,
    noticeCard(
      `Episode closed by ${staff.displayName}. The record is kept in full.${followUps.length ? ` Still due, with their reminders: ${followUps.join('; ')}.` : ''}`,
      followUps.length ? 'warning' : 'success',
    ),
    at,
  );
}
