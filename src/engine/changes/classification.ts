import { noticeCard } from '../../messages/cards.ts';
import { label } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import type { Classification } from '../../protocol/schema.ts';
import type { authorOf, EngineDeps } from '../base/context.ts';
import { afterChange, postToThread } from '../base/effects.ts';
import { appendEntry } from '../record/append-entry.ts';

/** Records a classification change (history, episode, record, thread, schedule) in one go. */
export async function applyClassification(
  tx: Tx,
  deps: EngineDeps,
  episodeId: string,
  byStaffId: string,
  author: ReturnType<typeof authorOf>,
  to: Classification,
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
