import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import type { OutboundFile } from '../../src/messages/outbound.ts';
import { recordDocumentSchema } from '../../src/reports/record-schema.ts';
import { verifyRecordText } from '../../src/reports/verify-record.ts';
import { jo, must, openWithThread, priya, recordOf, sam, startTestBot, type TestBot } from '../support/bot.ts';
import { pdfPages } from '../support/pdf-text.ts';
import { demoHomesFile } from '../../src/config/env.ts';
import { loadHomesFile } from '../../src/config/homes.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { syncHomes } from '../../src/store/sync-homes.ts';

let bot: TestBot;
beforeEach(async () => {
  // A Friday evening in November (GMT: London time and UTC agree).
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
});
afterEach(() => bot.close());

/** AJ goes missing, is reported, searched for and comes back; people talk in the thread. */
async function recordedEpisode() {
  const { episodeId, threadRef } = await openWithThread(bot, 'AJ', jo);
  const thread = { platform: 'web', threadRef } as const;
  await must(bot.engine, {
    type: 'record_last_seen',
    actor: jo,
    episodeId,
    at: '2026-11-20T21:55:00Z',
    place: 'Front gate',
    by: 'Jo Reid',
    clothing: 'Black hoodie, red trainers, phone',
    withWhom: 'Older friend "T"',
  });
  await must(bot.engine, {
    type: 'record_contact_attempt',
    actor: jo,
    episodeId,
    method: 'phone',
    outcome: 'No answer',
  });
  bot.clock.set('2026-11-20T22:25:00Z');
  await must(bot.engine, {
    type: 'record_police_report',
    actor: jo,
    episodeId,
    reference: 'CAD-1234',
    officer: 'PC Evans',
    grade: 'medium',
  });
  await must(bot.engine, {
    type: 'record_notification',
    actor: priya,
    episodeId,
    party: 'social-worker',
    method: 'phone (EDT)',
    response: 'Will call back',
  });
  await must(bot.engine, {
    type: 'record_search',
    actor: priya,
    episodeId,
    who: 'Priya',
    where: 'Riverside park',
    outcome: 'Not there',
  });
  await must(bot.engine, {
    type: 'record_message',
    actor: priya,
    thread,
    messageId: 'm1',
    text: 'Her friend says she took the bus into town.',
  });
  await must(bot.engine, {
    type: 'record_message',
    actor: priya,
    thread,
    messageId: 'm1',
    text: 'Her friend says she took the 22:05 bus into town.',
    change: 'edited',
  });
  bot.clock.set('2026-11-21T01:10:00Z');
  await must(bot.engine, {
    type: 'record_return',
    actor: sam,
    episodeId,
    at: '2026-11-21T01:00:00Z',
    how: 'Brought back by police',
    whereFound: 'Town centre bus station',
    condition: 'Cold, tired, no injuries',
    indicators: ['new-possessions'],
  });
  await must(bot.engine, { type: 'record_rhi', actor: sam, episodeId, status: 'offered' });
  return episodeId;
}

const fileOf = (files: OutboundFile[] | undefined, ext: string) => files!.find((f) => f.name.endsWith(ext))!;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('exporting the record of an episode', () => {
  it('gives a manager the full record as JSON and PDF, which re-verifies, and logs the export', async () => {
    const episodeId = await recordedEpisode();
    bot.clock.set('2026-11-21T09:00:00Z');
    const result = await must(bot.engine, { type: 'export_record', actor: sam, target: 'aj', delivery: 'attachment' });
    expect(result.files!.map((f) => f.name)).toEqual([
      expect.stringMatching(/^record-AJ-2026-11-20-\w{8}\.pdf$/),
      expect.stringMatching(/^record-AJ-2026-11-20-\w{8}\.json$/),
    ]);
    expect(result.files!.every((f) => f.link === undefined)).toBe(true);
    expect(result.reply?.fallback).toMatch(/The hash chain checks out: all \d+ entries/);

    const json = decode(fileOf(result.files, '.json').bytes);
    const doc = recordDocumentSchema.parse(JSON.parse(json));
    expect(doc.child).toEqual({ id: 'child-aj', alias: 'AJ', name: 'Demo Child One', dateOfBirth: '2010-05-14' });
    // Kept until AJ's 75th birthday (Children's Homes Regulations, regulation 36).
    expect(doc.retention).toEqual({
      keepUntil: '2085-05-14',
      rule: "75 years from the child's date of birth (Children's Homes (England) Regulations 2015, regulation 36)",
    });
    expect(doc.home).toEqual({ id: 'oak-house', name: 'Oak House (demo)', timeZone: 'Europe/London' });
    expect(doc.generated.by).toEqual({ name: 'Sam Okafor', role: 'manager' });
    expect(doc.episode.lastSeen).toMatchObject({ place: 'Front gate', clothing: 'Black hoodie, red trainers, phone' });
    expect(doc.police).toMatchObject({ reference: 'CAD-1234', officer: 'PC Evans', grade: 'medium' });
    // Each summary names who recorded it, and when.
    expect(
      [doc.episode.lastSeen.recorded, doc.police?.recorded, doc.return?.recorded].map((r) => [r?.by.name, r?.at.local]),
    ).toEqual([
      ['Jo Reid', 'Fri 20 Nov 2026, 22:10:00 GMT'],
      ['Jo Reid', 'Fri 20 Nov 2026, 22:25:00 GMT'],
      ['Sam Okafor', 'Sat 21 Nov 2026, 01:10:00 GMT'],
    ]);
    expect(doc.classificationHistory.map((c) => c.classification)).toEqual(['missing']);
    expect(doc.riskHistory.map((r) => r.source)).toEqual(['internal', 'police']);
    expect(doc.notifications.map((n) => [n.party, n.by.name])).toEqual([
      ['Police', 'Jo Reid'],
      ['Social worker', 'Priya Shah'],
    ]);
    expect(doc.contactAttempts).toEqual([expect.objectContaining({ method: 'phone', outcome: 'No answer' })]);
    expect(doc.searches).toEqual([
      expect.objectContaining({ where: 'Riverside park', by: { name: 'Priya Shah', role: 'support_worker' } }),
    ]);
    expect(doc.return).toMatchObject({
      whereFound: 'Town centre bus station',
      at: { local: 'Sat 21 Nov 2026, 01:00:00 GMT' },
    });
    expect(doc.exploitationIndicators).toEqual(['New possessions they cannot explain (phone, clothes, money)']);
    expect(doc.rhi).toMatchObject({ status: 'offered', history: [expect.objectContaining({ status: 'offered' })] });
    expect(doc.entries[0]).toMatchObject({
      seq: 1,
      kind: 'episode_opened',
      authorName: 'Jo Reid',
      authorRole: 'support_worker',
      local: 'Fri 20 Nov 2026, 22:10:00 GMT',
    });
    expect(doc.entries.map((e) => e.kind)).toContain('message_edited');
    expect(doc.verification).toMatchObject({ ok: true, entries: doc.entries.length, brokenAt: null });
    expect(verifyRecordText(json)).toMatchObject({ ok: true, entries: doc.entries.length });

    // The export itself is in the record, by whom and what, and the chain still holds.
    const entries = await recordOf(bot, episodeId);
    expect(entries.at(-1)).toMatchObject({ kind: 'record_exported', authorName: 'Sam Okafor', authorRole: 'manager' });
    expect(JSON.parse(entries.at(-1)!.dataJson)).toMatchObject({
      what: 'record',
      delivery: 'attachment',
      files: [{ name: expect.stringMatching(/\.pdf$/) }, { name: expect.stringMatching(/\.json$/) }],
    });
    expect(verifyChain(entries).ok).toBe(true);
    const log = await bot.database.prisma.exportLog.findMany();
    expect(log).toEqual([expect.objectContaining({ kind: 'record', outcome: 'delivered', staffId: 'sam', episodeId })]);
  });

  it('names the entry when one byte of it is changed, and the part when the header is', async () => {
    await recordedEpisode();
    const result = await must(bot.engine, { type: 'export_record', actor: sam, target: 'AJ', delivery: 'attachment' });
    const json = decode(fileOf(result.files, '.json').bytes);
    const doc = JSON.parse(json);
    const contact = doc.entries.find((e: { kind: string }) => e.kind === 'contact_attempt');

    // One byte of one entry's words: "No answer" becomes "No answet".
    const tampered = json.replace('"Contact attempt by phone: No answer"', '"Contact attempt by phone: No answet"');
    expect(tampered).not.toBe(json);
    expect(verifyRecordText(tampered)).toMatchObject({
      ok: false,
      seq: contact.seq,
      problem: expect.stringMatching(/does not match its hash/),
      statement: expect.stringContaining(`breaks at entry ${contact.seq}`),
    });
    // One byte of an entry's local time, of its parsed data, or of the JSON syntax inside it.
    const at = `"seq": ${contact.seq},\n      "at": "${contact.at}",\n      "local": "${contact.local}"`;
    expect(json).toContain(at);
    const local = json.replace(at, at.replace(/22:10:00 GMT"$/, '22:11:00 GMT"'));
    expect(verifyRecordText(local)).toMatchObject({
      ok: false,
      seq: contact.seq,
      problem: expect.stringMatching(/local time/),
    });
    // In the entry's data (the summary of contact attempts above it says the same words).
    const inEntry = '"data": {\n        "method": "phone",\n        "outcome": "No answer"';
    expect(json).toContain(inEntry);
    const data = json.replace(inEntry, inEntry.replace('No answer', 'No answeR'));
    expect(verifyRecordText(data)).toMatchObject({
      ok: false,
      seq: contact.seq,
      problem: expect.stringMatching(/data does not match/),
    });
    const syntax = json.replace(inEntry, inEntry.replace('"phone",', '"phone";'));
    expect(verifyRecordText(syntax)).toMatchObject({
      ok: false,
      seq: contact.seq,
      problem: expect.stringMatching(/not valid JSON/),
    });
    // An entry removed: the next one no longer links.
    const removed = { ...doc, entries: doc.entries.filter((e: { seq: number }) => e.seq !== 2) };
    expect(verifyRecordText(JSON.stringify(removed))).toMatchObject({ ok: false, seq: 3 });
    // Outside the entries: the police reference in the summary.
    const header = json.replace('"reference": "CAD-1234"', '"reference": "CAD-1235"');
    expect(verifyRecordText(header)).toMatchObject({
      ok: false,
      seq: null,
      problem: expect.stringMatching(/outside the timeline/),
    });
  });

  it('renders the PDF with the header, the summaries, the timeline and the verification line', async () => {
    await recordedEpisode();
    const result = await must(bot.engine, { type: 'export_record', actor: sam, target: 'AJ', delivery: 'attachment' });
    const pdf = fileOf(result.files, '.pdf').bytes;
    expect(decode(pdf.subarray(0, 5))).toBe('%PDF-');
    const pages = await pdfPages(pdf);
    const text = pages.join('\n');
    expect(text).toContain('Missing episode record — AJ');
    expect(text).toContain('Demo Child One');
    expect(text).toContain('2010-05-14');
    expect(text).toContain('Keep this record until: 2085-05-14: 75 years from the child');
    expect(text).toMatch(/Verification: The hash chain checks out: all \d+ entries/);
    expect(text).toContain('CAD-1234');
    expect(text).toContain('Recorded by: Jo Reid (support worker), Fri 20 Nov 2026, 22:25:00 GMT');
    expect(text).toContain('Return recorded by: Sam Okafor (manager), Sat 21 Nov 2026, 01:10:00 GMT');
    expect(text).toContain('Town centre bus station');
    // The timeline: every entry with its local time, author and role.
    const timeline = pages.slice(pages.findIndex((p) => p.includes('Timeline'))).join('\n');
    expect(timeline).toMatch(/#1 Fri 20 Nov 2026, 22:10:00 GMT Jo Reid \(support worker\) \[episode_opened\]/);
    expect(timeline).toContain('Contact attempt by phone: No answer');
    expect(timeline).toContain('Her friend says she took the bus into town.');
    expect(timeline).toContain('Edited a message. Now reads: Her friend says she took the 22:05 bus into town.');
    expect(pages.at(-1)).toMatch(/page \d+ of \d+/);
  });

  it('names who asked for a lower risk and who approved it in the risk history', async () => {
    const { episodeId } = await openWithThread(bot, 'AJ', jo);
    bot.clock.advanceMinutes(5);
    await must(bot.engine, { type: 'set_risk', actor: jo, episodeId, level: 'low', reason: 'Seen safe with her aunt' });
    const approval = await bot.database.prisma.approval.findFirstOrThrow({ where: { episodeId } });
    expect(approval.kind).toBe('downgrade_risk');
    bot.clock.advanceMinutes(3);
    await must(bot.engine, { type: 'decide_approval', actor: sam, approvalId: approval.id, decision: 'approve' });
    const result = await must(bot.engine, { type: 'export_record', actor: sam, target: 'AJ', delivery: 'attachment' });
    const doc = recordDocumentSchema.parse(JSON.parse(decode(fileOf(result.files, '.json').bytes)));
    const lowered = doc.riskHistory.at(-1)!;
    expect([lowered.level, lowered.askedBy?.name, lowered.approvedBy?.name]).toEqual(['low', 'Jo Reid', 'Sam Okafor']);
    // The rating the bot made at opening was nobody's request.
    expect(doc.riskHistory[0]).not.toHaveProperty('askedBy');
  });

  it('names who asked for a change and who approved it in the classification history', async () => {
    const { episodeId } = await openWithThread(bot, 'AJ', jo);
    bot.clock.advanceMinutes(5);
    await must(bot.engine, {
      type: 'classify',
      actor: jo,
      episodeId,
      classification: 'absent',
      reason: 'Her aunt rang: she is there and staying the night',
    });
    const approval = await bot.database.prisma.approval.findFirstOrThrow({ where: { episodeId } });
    bot.clock.advanceMinutes(3);
    await must(bot.engine, { type: 'decide_approval', actor: sam, approvalId: approval.id, decision: 'approve' });
    const result = await must(bot.engine, { type: 'export_record', actor: sam, target: 'AJ', delivery: 'attachment' });
    const doc = recordDocumentSchema.parse(JSON.parse(decode(fileOf(result.files, '.json').bytes)));
    expect(
      doc.classificationHistory.map((c) => [c.classification, c.askedBy?.name, c.approvedBy?.name, c.reason]),
    ).toEqual([
      ['missing', undefined, undefined, expect.any(String)],
      ['absent', 'Jo Reid', 'Sam Okafor', 'Her aunt rang: she is there and staying the night'],
    ]);
    const text = (await pdfPages(fileOf(result.files, '.pdf').bytes)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain(
      'Absent, asked by Jo Reid (support worker), approved by Sam Okafor (manager). Her aunt rang',
    );
  });

  it('keeps a child’s record, name and date of birth when the child leaves the configuration', async () => {
    const episodeId = await recordedEpisode();
    const before = await recordOf(bot, episodeId);
    const homes = loadHomesFile(demoHomesFile, protocols);
    const withoutAj = {
      ...homes,
      homes: homes.homes.map((h) => ({ ...h, children: h.children.filter((c) => c.alias !== 'AJ') })),
    };
    await syncHomes(bot.database, withoutAj);
    expect(await recordOf(bot, episodeId)).toEqual(before);
    const result = await must(bot.engine, {
      type: 'export_record',
      actor: sam,
      target: episodeId,
      delivery: 'attachment',
    });
    const doc = recordDocumentSchema.parse(JSON.parse(decode(fileOf(result.files, '.json').bytes)));
    expect(doc.child).toMatchObject({ alias: 'AJ', name: 'Demo Child One', dateOfBirth: '2010-05-14' });
    expect(doc.retention?.keepUntil).toBe('2085-05-14');
  });

  it('refuses a support worker, records the refusal, and writes no file', async () => {
    const episodeId = await recordedEpisode();
    const result = await bot.engine.execute({ type: 'export_record', actor: jo, target: 'AJ' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'not_allowed_to_export',
        detail: { roles: ['manager', 'deputy manager'], what: 'the episode record' },
      },
    });
    const last = (await recordOf(bot, episodeId)).at(-1)!;
    expect(last).toMatchObject({ kind: 'export_refused', authorName: 'Jo Reid', authorRole: 'support_worker' });
    expect(last.text).toMatch(/asked for the episode record and was refused: only manager or deputy manager/);
    expect(await bot.database.prisma.exportLog.findMany()).toEqual([
      expect.objectContaining({ kind: 'record', outcome: 'refused', staffId: 'jo' }),
    ]);
    expect(await bot.database.prisma.exportFile.count()).toBe(0);
  });

  it('hands over a link that works once, for half an hour, and keeps only the token’s hash', async () => {
    const episodeId = await recordedEpisode();
    // By episode id this time (the alias finds the same episode).
    const result = await must(bot.engine, { type: 'export_record', actor: sam, target: episodeId });
    expect(result.episodeId).toBe(episodeId);
    const [pdf, json] = result.files!;
    expect(pdf!.link!.url).toMatch(/^\/exports\/[A-Za-z0-9_-]{43}$/);
    const token = (f: OutboundFile) => f.link!.url.split('/').at(-1)!;
    const stored = await bot.database.prisma.exportFile.findMany();
    expect(stored.map((f) => f.tokenHash)).not.toContain(token(pdf!));
    const taken = await bot.queries.takeDownload(token(pdf!));
    expect(taken).toMatchObject({ name: pdf!.name, mimeType: 'application/pdf' });
    expect(Buffer.from(taken!.bytes).equals(Buffer.from(pdf!.bytes))).toBe(true);
    expect(await bot.queries.takeDownload(token(pdf!))).toBeNull();
    bot.clock.advanceMinutes(31);
    expect(await bot.queries.takeDownload(token(json!))).toBeNull();
    expect(await bot.queries.takeDownload('not-a-token')).toBeNull();
  });
});
