import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, verifyChain, type RecordEntry } from '../../src/domain/record.ts';

const start = new Date('2026-11-20T22:10:00Z');

type Draft = Pick<RecordEntry, 'kind' | 'text'> & Partial<RecordEntry>;

/** Builds an episode's record as the writer does: each entry hashed over its fields and the one before. */
function chain(drafts: Draft[]): RecordEntry[] {
  const entries: RecordEntry[] = [];
  let prevHash = GENESIS_HASH;
  drafts.forEach((draft, index) => {
    const body: Omit<RecordEntry, 'hash'> = {
      episodeId: 'ep-1',
      seq: index + 1,
      at: new Date(start.getTime() + index * 60_000),
      authorStaffId: 'jo',
      authorName: 'Jo Reid',
      authorRole: 'support_worker',
      dataJson: '{}',
      platform: 'web',
      platformMessageId: null,
      amendsEntryId: null,
      ...draft,
      prevHash,
    };
    const entry = { ...body, hash: entryHash(body) };
    entries.push(entry);
    prevHash = entry.hash;
  });
  return entries;
}

const record = () =>
  chain([
    { kind: 'episode_opened', text: 'AJ reported missing', dataJson: '{"child":"child-aj"}' },
    { kind: 'last_seen', text: 'Last seen 22:05 at the front gate', dataJson: '{"place":"front gate"}' },
    { kind: 'item_done', text: 'Searched the building and grounds', dataJson: '{"item":"search-building"}' },
    { kind: 'message', text: 'Checked the park, nothing', platformMessageId: 'm-4' },
    {
      kind: 'police_report',
      text: 'Reported to police, ref CAD-1234',
      dataJson: '{"reference":"CAD-1234"}',
      authorStaffId: 'sam',
      authorName: 'Sam Okafor',
      authorRole: 'manager',
    },
  ]);

/** Changes one character of a string, keeping its length. */
const flipOne = (s: string, at = 0) => s.slice(0, at) + (s[at] === 'x' ? 'y' : 'x') + s.slice(at + 1);

describe('the hash-chained record', () => {
  it('verifies a chain built with entryHash', () => {
    const entries = record();
    expect(verifyChain(entries)).toEqual({ ok: true, entries: 5 });
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
  });

  it('verifies an empty record', () => {
    expect(verifyChain([])).toEqual({ ok: true, entries: 0 });
  });

  it('gives the same hash for the same content, and a different one for any change', () => {
    const [first] = record();
    const { hash, ...body } = first!;
    expect(entryHash(body)).toBe(hash);
    expect(entryHash({ ...body, text: `${body.text} ` })).not.toBe(hash);
    expect(entryHash({ ...body, platform: 'slack' })).not.toBe(hash);
  });

  it.each<[string, (e: RecordEntry) => RecordEntry]>([
    ['text', (e) => ({ ...e, text: flipOne(e.text, 5) })],
    ['dataJson', (e) => ({ ...e, dataJson: e.dataJson.replace('front gate', 'front door') })],
    ['author name', (e) => ({ ...e, authorName: 'Priya Shah' })],
    ['author id', (e) => ({ ...e, authorStaffId: 'priya' })],
    ['author role', (e) => ({ ...e, authorRole: 'manager' })],
    ['time', (e) => ({ ...e, at: new Date(e.at.getTime() + 1) })],
    ['kind', (e) => ({ ...e, kind: 'message' })],
    ['platform message id', (e) => ({ ...e, platformMessageId: 'm-999' })],
  ])('reports a changed %s at the entry that was changed', (_field, tamper) => {
    const entries = record();
    entries[1] = tamper(entries[1]!);
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 2, problem: 'its content does not match its hash' });
  });

  it('reports the next entry when the changed entry’s hash was recomputed to hide the change', () => {
    const entries = record();
    const { hash: _old, ...body } = entries[2]!;
    const forged = { ...body, text: 'Searched the building (forged)' };
    entries[2] = { ...forged, hash: entryHash(forged) };
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 4, problem: 'does not link to the entry before it' });
  });

  it('reports a swap of two entries where the order breaks', () => {
    const entries = record();
    [entries[2], entries[3]] = [entries[3]!, entries[2]!];
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 4, problem: 'expected entry 3, found 4' });
  });

  it('reports a reordering even when the sequence numbers were rewritten to match', () => {
    const entries = record();
    [entries[2], entries[3]] = [
      { ...entries[3]!, seq: 3 },
      { ...entries[2]!, seq: 4 },
    ];
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 3, problem: 'does not link to the entry before it' });
  });

  it('reports a deleted entry at the first entry after the gap', () => {
    const entries = record();
    entries.splice(2, 1);
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 4, problem: 'expected entry 3, found 4' });
  });

  it('reports a deleted first entry', () => {
    const entries = record().slice(1);
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 2, problem: 'expected entry 1, found 2' });
  });

  it('reports a deleted entry even when the later ones were renumbered to close the gap', () => {
    const entries = record();
    entries.splice(1, 1);
    const renumbered = entries.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyChain(renumbered)).toEqual({ ok: false, seq: 2, problem: 'does not link to the entry before it' });
  });

  it('reports an entry moved from another episode’s record', () => {
    const entries = record();
    entries[4] = { ...entries[4]!, episodeId: 'ep-2' };
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 5, problem: 'its content does not match its hash' });
  });
});
