// Who wrote a thread message, kept in memory (the entry's author name and role; who may act is
// always read afresh): every thread message asks it, and the answer changes only when the homes
// file is synced (at start). A sync through this process's database is seen at once (its sync
// count moves on); a sync by another instance sharing the database is seen within `maxAgeMs`.
// People who are not staff are kept too, so a stranger's messages cost no more reads.
import type { Platform } from '../domain/episode.ts';
import type { StaffRecord } from '../ports/store.ts';

/** How long an answer is trusted when another instance may have synced the homes meanwhile. */
export const STAFF_DIRECTORY_MAX_AGE_MS = 30_000;

/** Identities kept at most (a large workspace's strangers must not grow memory without end). */
const MAX_KNOWN = 20_000;

export interface StaffDirectory {
  /** The staff member behind this platform identity (null: nobody), loaded with `load` when not known. */
  find(
    platform: Platform,
    platformUserId: string,
    load: () => Promise<StaffRecord | null>,
  ): Promise<StaffRecord | null>;
}

export function staffDirectory(opts: {
  /** Home syncs so far on this database: a new count empties the directory. */
  syncs: () => number;
  maxAgeMs?: number;
  /** A monotonic clock in milliseconds (how old an answer is, not a time anyone reads). */
  now?: () => number;
}): StaffDirectory {
  const maxAgeMs = opts.maxAgeMs ?? STAFF_DIRECTORY_MAX_AGE_MS;
  const now = opts.now ?? (() => performance.now());
  const known = new Map<string, { staff: StaffRecord | null; at: number }>();
  let syncs = opts.syncs();
  return {
    async find(platform, platformUserId, load) {
      if (opts.syncs() !== syncs) {
        known.clear();
        syncs = opts.syncs();
      }
      const key = `${platform}\u0000${platformUserId}`;
      const hit = known.get(key);
      if (hit && now() - hit.at <= maxAgeMs) return hit.staff;
      const staff = await load();
      // An answer read while a sync ran may be the old one: used, not kept.
      if (opts.syncs() !== syncs) return staff;
      if (known.size >= MAX_KNOWN) known.clear();
      known.set(key, { staff, at: now() });
      return staff;
    },
  };
}
