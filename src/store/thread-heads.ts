// The chain heads of the threads this process wrote last, so that on PostgreSQL the next message
// of a thread can be written without reading the thread's state first. Never trusted: the write
// chains after the kept head and collides on (episodeId, seq) if anything was appended since, by
// this process or another, and it writes nothing if the message is in the record already
// (pg-thread-write.ts); either way the message is then read and planned afresh.
import type { ChainHead } from '../ports/store.ts';

/** A thread's episode and its record's head after this process's last write to it. */
export interface KeptHead {
  episodeId: string;
  homeId: string;
  head: ChainHead;
}

/** Threads kept (least recently written first out): more than a local authority has open. */
const KEPT = 1_000;

export function keptThreadHeads(kept = KEPT) {
  const heads = new Map<string, KeptHead>();
  return {
    /** Keeps the thread's head after a write. */
    keep(thread: string, head: KeptHead) {
      heads.delete(thread);
      if (heads.size >= kept) heads.delete(heads.keys().next().value!);
      heads.set(thread, head);
    },
    /** Hands the kept head over, forgetting it: it is kept again only by the next write. */
    take(thread: string): KeptHead | null {
      const head = heads.get(thread) ?? null;
      heads.delete(thread);
      return head;
    },
  };
}
