import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { episodeOf, jo, must, openEpisode, priya, recordOf, sam, startTestBot, type TestBot } from '../support/bot.ts';

let bot: TestBot;
let episodeId: string;
beforeEach(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
  // AJ starts at medium risk (from her plan), classified missing, police to be told by 22:40.
  episodeId = await openEpisode(bot, 'AJ');
  await bot.tick();
});
afterEach(() => bot.close());

const db = () => bot.database.prisma;
const kinds = async () => (await recordOf(bot, episodeId)).map((e) => e.kind);
const sentPingRules = async () =>
  (await db().ping.findMany({ where: { status: 'sent' }, orderBy: { sentAt: 'asc' } })).map((p) => p.rule);
const pendingApproval = () => db().approval.findFirstOrThrow({ where: { episodeId, status: 'pending' } });
const decide = (actor: typeof sam, approvalId: string, decision = 'approve') =>
  bot.engine.execute({ type: 'decide_approval', actor, approvalId, decision });

describe('raising the risk', () => {
  it('applies at once, for anyone, and prompts the on-call person to call 999 at the next tick', async () => {
    bot.clock.set('2026-11-20T22:20:00Z');
    await must(bot.engine, {
      type: 'set_risk',
      actor: jo, // a support worker: protective action is never gated
      episodeId,
      level: 'high',
      factors: ['risky-associates'],
      reason: 'Seen getting into a car with an older man',
    });
    expect((await episodeOf(bot, episodeId))?.riskLevel).toBe('high');
    expect(await db().approval.count()).toBe(0);
    expect((await recordOf(bot, episodeId)).at(-1)?.text).toMatch(/^Risk changed from medium to high/);

    await bot.tick();
    expect(await sentPingRules()).toContain('high-risk-call-999');
    const ping = (await recordOf(bot, episodeId)).find((e) => JSON.parse(e.dataJson).rule === 'high-risk-call-999');
    expect(ping).toMatchObject({ kind: 'ping', authorRole: 'bot' });
    expect(JSON.parse(ping!.dataJson).to).toEqual(['sam']);
    const direct = bot.chat.delivered.filter(
      (d) => d.kind === 'direct' && /high risk. Call 999 now/.test(d.card.fallback),
    );
    expect(direct.map((d) => d.to)).toEqual(['sam']);

    // Once only.
    bot.clock.set('2026-11-20T22:21:00Z');
    await bot.tick();
    expect((await sentPingRules()).filter((r) => r === 'high-risk-call-999')).toHaveLength(1);
  });

  it('does not send a separate 999 prompt for a child who is high risk from the start', async () => {
    await openEpisode(bot, 'BT');
    await bot.tick();
    // BT's "police not told" reminder is due at once and already says call 999.
    expect(await sentPingRules()).toEqual(['police-not-told']);
  });
});

describe('lowering the risk or the classification', () => {
  it('asks a manager to lower the risk and changes nothing until one approves', async () => {
    const asked = await must(bot.engine, {
      type: 'set_risk',
      actor: jo,
      episodeId,
      level: 'low',
      reason: 'At her aunt’s',
    });
    expect(asked.reply?.fallback).toMatch(/approve lowering the risk to low/);
    expect((await episodeOf(bot, episodeId))?.riskLevel).toBe('medium');
    expect(await db().riskChange.count({ where: { episodeId } })).toBe(1);
    expect(await kinds()).not.toContain('risk');
    const approval = await pendingApproval();
    expect(approval.kind).toBe('downgrade_risk');

    bot.clock.set('2026-11-20T22:25:00Z');
    expect(await decide(sam, approval.id)).toEqual({ ok: true, episodeId });
    expect((await episodeOf(bot, episodeId))?.riskLevel).toBe('low');
    expect((await db().riskChange.findMany({ where: { episodeId }, orderBy: { at: 'asc' } })).at(-1)).toMatchObject({
      level: 'low',
      byStaffId: 'sam',
      at: new Date('2026-11-20T22:25:00Z'),
    });
  });

  it('keeps a child missing until a manager approves the change to absent, then keeps both in the history', async () => {
    bot.clock.set('2026-11-20T22:15:00Z');
    await must(bot.engine, {
      type: 'classify',
      actor: jo,
      episodeId,
      classification: 'absent',
      reason: 'Friend’s mum says she is there',
    });
    expect((await episodeOf(bot, episodeId))?.classification).toBe('missing');
    expect(await db().ping.count({ where: { rule: 'police-not-told', status: 'pending' } })).toBe(1);
    const approval = await pendingApproval();

    bot.clock.set('2026-11-20T22:30:00Z');
    await must(bot.engine, { type: 'decide_approval', actor: sam, approvalId: approval.id, decision: 'approve' });
    expect((await episodeOf(bot, episodeId))?.classification).toBe('absent');
    const history = await bot.store.transaction((tx) => tx.episodes.classificationHistory(episodeId));
    expect(history).toEqual([
      { classification: 'missing', at: new Date('2026-11-20T22:10:00Z'), byStaffId: 'jo', reason: expect.any(String) },
      {
        classification: 'absent',
        at: new Date('2026-11-20T22:30:00Z'),
        byStaffId: 'sam',
        reason: 'Friend’s mum says she is there',
      },
    ]);
    // Absent is not missing: the "police not told" reminder has lost its reason.
    expect(await db().ping.count({ where: { rule: 'police-not-told', status: 'pending' } })).toBe(0);
  });

  it('answers a double click with "already decided" and records the decision once', async () => {
    await must(bot.engine, {
      type: 'classify',
      actor: jo,
      episodeId,
      classification: 'absent',
      reason: 'Seen at school',
    });
    const approval = await pendingApproval();
    await must(bot.engine, { type: 'decide_approval', actor: sam, approvalId: approval.id, decision: 'approve' });
    expect(await decide(sam, approval.id)).toEqual({
      ok: false,
      error: { code: 'approval_already_decided', detail: { status: 'approved', by: 'Sam Okafor' } },
    });
    expect((await kinds()).filter((k) => k === 'approval_decided')).toHaveLength(1);
    expect((await kinds()).filter((k) => k === 'classification')).toHaveLength(1);
  });

  it('decides once when two clicks race', async () => {
    await must(bot.engine, { type: 'set_risk', actor: jo, episodeId, level: 'low', reason: 'Found safe nearby' });
    const approval = await pendingApproval();
    const results = await Promise.all([decide(sam, approval.id), decide(sam, approval.id)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'approval_already_decided' } });
    expect((await kinds()).filter((k) => k === 'approval_decided')).toHaveLength(1);
    expect(await db().riskChange.count({ where: { episodeId } })).toBe(2);
  });

  it('will not let an old request to lower the risk undo a rise made since', async () => {
    await must(bot.engine, { type: 'set_risk', actor: jo, episodeId, level: 'low', reason: 'At her aunt’s' });
    const approval = await pendingApproval();
    bot.clock.set('2026-11-20T22:20:00Z');
    await must(bot.engine, {
      type: 'set_risk',
      actor: priya,
      episodeId,
      level: 'high',
      factors: ['risky-associates'],
      reason: 'Not at her aunt’s; seen with an older man',
    });
    const before = (await recordOf(bot, episodeId)).length;
    expect(await decide(sam, approval.id)).toEqual({ ok: false, error: { code: 'approval_outdated' } });
    expect((await episodeOf(bot, episodeId))?.riskLevel).toBe('high');
    expect(await recordOf(bot, episodeId)).toHaveLength(before);
    // Declining it is always possible.
    await must(bot.engine, { type: 'decide_approval', actor: sam, approvalId: approval.id, decision: 'decline' });
    expect((await episodeOf(bot, episodeId))?.riskLevel).toBe('high');
  });
});

describe('the police report', () => {
  it('ticks "report to police" and cancels the pending "police not told" reminder', async () => {
    expect(await db().ping.findFirst({ where: { rule: 'police-not-told' } })).toMatchObject({
      status: 'pending',
      dueAt: new Date('2026-11-20T22:40:00Z'),
    });
    bot.clock.set('2026-11-20T22:25:00Z');
    await must(bot.engine, {
      type: 'record_police_report',
      actor: jo,
      episodeId,
      reference: 'CAD-4411',
      officer: 'PC Evans',
      grade: 'medium',
    });
    expect((await episodeOf(bot, episodeId))?.checklist['report-police']).toMatchObject({
      status: 'done',
      byStaffId: 'jo',
    });
    const report = (await recordOf(bot, episodeId)).find((e) => e.kind === 'police_report');
    expect(JSON.parse(report!.dataJson).ticked).toEqual(['report-police']);
    expect(await db().ping.findFirst({ where: { rule: 'police-not-told' } })).toMatchObject({ status: 'cancelled' });

    bot.clock.set('2026-11-20T23:00:00Z');
    await bot.tick();
    expect(await sentPingRules()).not.toContain('police-not-told');
  });
});
