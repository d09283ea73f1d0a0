import type { Author } from '../../domain/episode.ts';
import { entryHash, GENESIS_HASH, type NewEntry, type RecordEntry } from '../../domain/record.ts';
import type { ChainHead, Tx } from '../../ports/store.ts';

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
  return (await appendAfter(tx, await tx.record.last(episodeId), episodeId, author, at, entry)).id;
}

/**
 * The same, after a chain head the caller read in this transaction (null: the record is empty);
 * resolves with the new head. A head read earlier than this transaction would not do: the entry
 * must chain to what is in the record, and a stale head collides on (episodeId, seq) at best.
 */
export async function appendAfter(
  tx: Tx,
  head: ChainHead | null,
  episodeId: string,
  author: Author,
  at: Date,
  entry: NewEntry,
): Promise<ChainHead & { id: string }> {
  const [chained] = chainAfter(head, episodeId, author, at, [entry]);
  return { id: await tx.record.insert(chained!), seq: chained!.seq, hash: chained!.hash };
}

/**
 * Entries chained one after another after `head` (null: the record is empty), each hashed over
 * the one before: what is written to the record, in order. Written after any other head, they
 * collide on (episodeId, seq), and nothing of them is kept.
 */
export function chainAfter(
  head: ChainHead | null,
  episodeId: string,
  author: Author,
  at: Date,
  entries: NewEntry[],
): RecordEntry[] {
  const chained: RecordEntry[] = [];
  let last = head;
  for (const entry of entries) {
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
    const signed = { ...unsigned, hash: entryHash(unsigned) };
    chained.push(signed);
    last = signed;
  }
  return chained;
}
