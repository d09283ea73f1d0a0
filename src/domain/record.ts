import { createHash } from 'node:crypto';

/** The kinds of entry the record holds. */
export const entryKinds = [
  'episode_opened',
  'episode_joined',
  'last_seen',
  'classification',
  'risk',
  'item_done',
  'item_not_applicable',
  'police_report',
  'notification',
  'contact_attempt',
  'search',
  'new_information',
  'approval_requested',
  'approval_decided',
  'approval_refused',
  'returned',
  'police_told_of_return',
  'safe_and_well',
  'risk_assessment_updated',
  'rhi',
  'closed',
  'message',
  'message_edited',
  'message_deleted',
  'author_named',
  'ping',
  'handover',
  'handover_accepted',
  'record_exported',
  'export_refused',
] as const;
export type EntryKind = (typeof entryKinds)[number];

/** What a caller supplies for a new entry; sequence, time and hashes are added by the writer. */
export interface NewEntry {
  kind: EntryKind;
  text: string;
  data?: Record<string, unknown>;
  platform?: string | null;
  platformMessageId?: string | null;
  amendsEntryId?: string | null;
}

/** An entry as stored: every field that the hash covers. */
export interface RecordEntry {
  episodeId: string;
  seq: number;
  at: Date;
  authorStaffId: string | null;
  authorName: string;
  authorRole: string;
  kind: string;
  text: string;
  dataJson: string;
  platform: string | null;
  platformMessageId: string | null;
  amendsEntryId: string | null;
  prevHash: string;
  hash: string;
}

/** The prevHash of an episode's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Hash of an entry: every recorded field and the previous hash, in a fixed order. */
export function entryHash(entry: Omit<RecordEntry, 'hash'>): string {
  const canonical = JSON.stringify([
    entry.episodeId,
    entry.seq,
    entry.at.toISOString(),
    entry.authorStaffId,
    entry.authorName,
    entry.authorRole,
    entry.kind,
    entry.text,
    entry.dataJson,
    entry.platform,
    entry.platformMessageId,
    entry.amendsEntryId,
    entry.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Where a chain breaks, if it does. */
export type ChainCheck = { ok: true; entries: number } | { ok: false; seq: number; problem: string };

/** Re-checks an episode's chain: sequence without gaps, each entry's hash, each link. */
export function verifyChain(entries: readonly RecordEntry[]): ChainCheck {
  let prev = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    if (entry.seq !== index + 1)
      return { ok: false, seq: entry.seq, problem: `expected entry ${index + 1}, found ${entry.seq}` };
    if (entry.prevHash !== prev) return { ok: false, seq: entry.seq, problem: 'does not link to the entry before it' };
    if (entryHash(entry) !== entry.hash)
      return { ok: false, seq: entry.seq, problem: 'its content does not match its hash' };
    prev = entry.hash;
  }
  return { ok: true, entries: entries.length };
}
