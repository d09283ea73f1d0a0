import { entryHash, GENESIS_HASH, verifyChain } from '../domain/record.ts';
import type { Tx } from '../ports/store.ts';
import { chainStatement, documentDigest, recordDocumentSchema, type ExportedEntry } from './record-schema.ts';
import { localStamp } from './time.ts';

/** The result of re-checking a record: intact, or the first place it is broken (seq when it is an entry). */
export type RecordCheck =
  | { ok: true; entries: number; statement: string }
  | { ok: false; seq: number | null; problem: string; statement: string };

const broken = (seq: number | null, problem: string): RecordCheck => ({
  ok: false,
  seq,
  problem,
  statement: seq === null ? `The record does not check out: ${problem}.` : chainStatement({ ok: false, seq, problem }),
});

/** What is wrong with one exported entry, checked in the order a reader would want to know. */
function entryProblem(e: ExportedEntry, index: number, prevHash: string, episodeId: string, timeZone: string) {
  if (e.seq !== index + 1) return `expected entry ${index + 1} here, found entry ${e.seq}`;
  if (e.prevHash !== prevHash) return 'it does not link to the entry before it (an entry was removed, added or moved)';
  const at = new Date(e.at);
  const hash = entryHash({ ...e, episodeId, at });
  if (hash !== e.hash) return 'its content does not match its hash (it was changed after it was written)';
  let recorded: unknown;
  try {
    recorded = JSON.parse(e.dataJson);
  } catch {
    return 'its recorded data is not valid JSON';
  }
  if (JSON.stringify(e.data) !== JSON.stringify(recorded)) return 'its data does not match the data that was recorded';
  if (e.local !== localStamp(at, timeZone)) return `its local time "${e.local}" does not match its recorded time`;
  return null;
}

/** The entry a JSON syntax error falls in, from the last `"seq": n` before it. */
function seqAt(text: string, position: number): number | null {
  const before = text.slice(0, position);
  if (before.lastIndexOf('"entries"') < 0) return null;
  const matches = [...before.matchAll(/"seq"\s*:\s*(\d+)/g)];
  return matches.length > 0 ? Number(matches.at(-1)![1]) : null;
}

/** Re-checks an exported record (already parsed JSON): its shape, every entry and link, and its digest. */
export function verifyRecordDocument(raw: unknown): RecordCheck {
  const parsed = recordDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [section, index, field] = issue.path;
    if (section === 'entries' && typeof index === 'number') {
      const entries = (raw as { entries?: { seq?: unknown }[] }).entries;
      const seq = typeof entries?.[index]?.seq === 'number' ? (entries[index]!.seq as number) : index + 1;
      return broken(seq, `its field "${String(field ?? '')}" is not valid (${issue.message})`);
    }
    return broken(null, `"${issue.path.join('.') || 'the file'}" is not valid (${issue.message})`);
  }
  const doc = parsed.data;
  let prev = GENESIS_HASH;
  for (const [index, entry] of doc.entries.entries()) {
    const problem = entryProblem(entry, index, prev, doc.episode.id, doc.home.timeZone);
    if (problem) return broken(entry.seq, problem);
    prev = entry.hash;
  }
  if (doc.verification.entries !== doc.entries.length)
    return broken(null, `it says it holds ${doc.verification.entries} entries but holds ${doc.entries.length}`);
  if (documentDigest(raw as Record<string, unknown>) !== doc.digest)
    return broken(
      null,
      'a part outside the timeline (header, summaries or verification line) was changed after export',
    );
  return {
    ok: true,
    entries: doc.entries.length,
    statement: chainStatement({ ok: true, entries: doc.entries.length }),
  };
}

/** Re-checks an exported record file's text; a broken file names the entry the damage is in. */
export function verifyRecordText(text: string): RecordCheck {
  try {
    return verifyRecordDocument(JSON.parse(text));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    const seq = Number.isNaN(position) ? null : seqAt(text, position);
    return broken(seq, `the file is not valid JSON${seq === null ? '' : ' inside this entry'} (${message})`);
  }
}

/** Re-checks an episode's record as stored in the database. */
export async function verifyStoredEpisode(tx: Tx, episodeId: string): Promise<RecordCheck | null> {
  if (!(await tx.episodes.get(episodeId))) return null;
  const check = verifyChain(await tx.record.list(episodeId));
  return check.ok
    ? { ok: true, entries: check.entries, statement: chainStatement(check) }
    : broken(check.seq, check.problem);
}
