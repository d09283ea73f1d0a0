import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jo, must, openEpisode, sam, startTestBot, type TestBot } from '../support/bot.ts';
import { ajHistory, seedHistory } from '../support/patterns-history.ts';
import { pdfPages } from '../support/pdf-text.ts';
import { collectionYear } from '../../src/reports/returns-csv.ts';
import { missingTableProblems } from '../support/ssda903.ts';

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
});
afterEach(() => bot.close());

/** AJ's past episodes, and one drill that the reports must leave out. */
const seedAjHistory = () =>
  seedHistory(bot.database, [
    ...ajHistory,
    { ...ajHistory.at(-1)!, startedAt: new Date('2026-11-19T19:00:00Z'), drill: true },
  ]);

describe('/missing patterns', () => {
  it('reports a child’s patterns with the signals in words, a PDF and the chart as a PNG', async () => {
    await seedAjHistory();
    const result = await must(bot.engine, { type: 'patterns', actor: sam, child: 'AJ', delivery: 'attachment' });
    const lines = result.reply!.blocks.map((b) => (b.type === 'text' ? b.text : ''));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Episodes: 3 in the last 30 days, 5 in 90 days, 5 in 12 months (6 recorded in all).',
        'Typical time away: 6 h 00 min (longest 10 h 00 min).',
        '4 of the last 5 episodes began on a Friday evening.',
        'Found at Town centre bus station in 3 of the last 5 returns.',
      ]),
    );
    const [pdf, png] = result.files!;
    expect(png!.name).toMatch(/^patterns-AJ-2026-11-20-charts\.png$/);
    // A PNG (signature, then the header chunk with its size), drawn at twice the chart's size.
    const bytes = Buffer.from(png!.bytes);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(1200);
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(900);
    const pages = await pdfPages(pdf!.bytes);
    const text = pages.join('\n');
    expect(text).toContain('Patterns across missing episodes — AJ');
    expect(text).toContain('4 of the last 5 episodes began on a Friday evening.');
    expect(text).toMatch(/Town centre bus station: 3/);
    // The charts' page, in vector graphics with their words as text: title, period, axes, legend.
    const charts = pages.at(-1)!;
    for (const words of [
      'Missing episodes — AJ',
      'The 12 months to Fri 20 Nov 2026 · times in Europe/London · drills left out',
      'When episodes began (weekday × hour)',
      'Hour of the day',
      'Episodes begun',
      'Episodes per month',
      'Time away (returns)',
      'Where found',
      'Town centre bus station',
    ])
      expect(charts).toContain(words);
    expect(await bot.database.prisma.exportLog.findMany()).toEqual([
      expect.objectContaining({ kind: 'patterns', outcome: 'delivered', childId: 'child-aj', episodeId: null }),
    ]);
  });

  it('reports the whole home without a name, and refuses a support worker (logged)', async () => {
    await seedAjHistory();
    const home = await must(bot.engine, { type: 'patterns', actor: sam, delivery: 'attachment' });
    expect(home.reply!.title).toBe('Patterns — Oak House (demo)');
    const refused = await bot.engine.execute({ type: 'patterns', actor: jo, child: 'AJ' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'not_allowed_to_export', detail: { what: 'the patterns report' } },
    });
    expect(
      (await bot.database.prisma.exportLog.findMany({ orderBy: { at: 'asc' } })).map((l) => [
        l.kind,
        l.outcome,
        l.staffId,
      ]),
    ).toEqual([
      ['patterns', 'delivered', 'sam'],
      ['patterns', 'refused', 'jo'],
    ]);
  });
});

describe('/missing returns', () => {
  it('splits an episode into M and A rows on the date its classification changed, with RHI and where found', async () => {
    const episodeId = await openEpisode(bot, 'AJ', jo);
    await must(bot.engine, {
      type: 'record_last_seen',
      actor: jo,
      episodeId,
      at: '2026-11-20T21:55:00Z',
      place: 'Front gate',
    });
    // Next morning her whereabouts are known: away without authorisation, agreed by the manager.
    bot.clock.set('2026-11-21T10:00:00Z');
    await must(bot.engine, {
      type: 'classify',
      actor: jo,
      episodeId,
      classification: 'away_without_authorisation',
      reason: 'Police confirm she is at a friend’s flat',
    });
    const approval = await bot.database.prisma.approval.findFirstOrThrow({ where: { episodeId } });
    bot.clock.set('2026-11-21T10:05:00Z');
    await must(bot.engine, { type: 'decide_approval', actor: sam, approvalId: approval.id, decision: 'approve' });
    bot.clock.set('2026-11-21T18:30:00Z');
    await must(bot.engine, {
      type: 'record_return',
      actor: jo,
      episodeId,
      at: '2026-11-21T18:00:00Z',
      how: 'Collected by staff',
      whereFound: 'Friend’s flat, Mill Road',
      condition: 'Well',
    });
    await must(bot.engine, { type: 'record_rhi', actor: jo, episodeId, status: 'accepted' });

    const result = await must(bot.engine, { type: 'returns_csv', actor: sam, year: 2026, delivery: 'attachment' });
    const [missing, annex] = result.files!.map((f) => ({ name: f.name, text: new TextDecoder().decode(f.bytes) }));
    expect(missing!.name).toBe('ssda903-missing-oak-house-2026-27.csv');
    expect(missing!.text).toBe(
      [
        'CHILD,DOB,MISSING,MIS_START,MIS_END',
        'DEMO0001,14/05/2010,M,20/11/2026,21/11/2026',
        'DEMO0001,14/05/2010,A,21/11/2026,21/11/2026',
        '',
      ].join('\r\n'),
    );
    expect(missingTableProblems(missing!.text, collectionYear(2026))).toEqual([]);
    // The RHI and where found are never in the Missing table: they are Annex A's, per child.
    expect(annex!.name).toBe('annex-a-missing-oak-house-2026-11-21.csv');
    expect(annex!.text.split('\r\n')[1]).toBe(
      'DEMO0001,1,1,Yes,Yes,20/11/2026,21/11/2026,21/11/2026,,,"Friend’s flat, Mill Road"',
    );
    expect(result.reply!.fallback).toMatch(/2 rows/);
  });

  it('leaves drills out, defaults to the current collection year, and is for managers only', async () => {
    await seedAjHistory();
    const result = await must(bot.engine, { type: 'returns_csv', actor: sam, delivery: 'attachment' });
    const [missing, annex] = result.files!.map((f) => new TextDecoder().decode(f.bytes).trim().split('\r\n'));
    // Five episodes since 1 April 2026 (the drill and the one from 2025 are not in the year).
    expect(missing).toHaveLength(6);
    expect(missing![1]).toBe('DEMO0001,14/05/2010,M,04/09/2026,05/09/2026');
    expect(result.files![0]!.name).toBe('ssda903-missing-oak-house-2026-27.csv');
    // Annex A: AJ's five missing episodes of the last 12 months; the last interview was held.
    expect(annex![1]).toMatch(/^DEMO0001,5,0,Yes,Yes,13\/11\/2026,14\/11\/2026,/);
    expect(result.reply!.fallback).toContain('collection year 2026-27 (1 April 2026 to 31 March 2027)');
    const refused = await bot.engine.execute({ type: 'returns_csv', actor: jo });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_allowed_to_export' } });
  });
});
