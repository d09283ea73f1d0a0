import type { Author } from '../../domain/episode.ts';
import { entryHash, GENESIS_HASH, type NewEntry, type RecordEntry } from '../../domain/record.ts';
import type { Tx } from '../../ports/store.ts';

/**
 * The one function that writes the record: appends an entry to the episode's chain, inside the
 * caller's transaction, so the entry and the state change it describes commit together.
 * A concurrent writer on the same episode collides on (episodeId, seq) and its transaction is
 * retried by the store.
 */
export async function appendEntry(
  tx: Tx,
  episodeId: string,
  author: Author,
  at: Date,
  entry: NewEntry,
): Promise<string> {
  const last = await tx.record.last(episodeId);
  const unsigned: Omit<RecordEntry, 'hash'> = {
    episodeId,
    seq: (last?.seq ?? 0) + 1,
    at,
    authorStaffId: author.staffId,
    authorName: author.name,
    authorRole: author.role,
    kind: entry.kind,
    text: entry.text,
    dataJson: JSON.stringify(entry.data ?? {}),
    platform: entry.platform ?? null,
    platformMessageId: entry.platformMessageId ?? null,
    amendsEntryId: entry.amendsEntryId ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  return tx.record.insert({ ...unsigned, hash: entryHash(unsigned) });
}
