import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import { demoChannel, jo, must, priya, sam, startTestBot, type TestBot } from '../support/bot.ts';

let bot: TestBot;
beforeEach(async () => {
  // 22:10 on a November evening in London (GMT, so UTC and local agree).
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
});
afterEach(() => bot.close());

async function sentPings() {
  return bot.database.prisma.ping.findMany({ where: { status: 'sent' }, orderBy: { sentAt: 'asc' } });
}

async function episodeRecord(episodeId: string) {
  return bot.store.transaction((tx) => tx.record.list(episodeId));
}

describe('an episode from /missing to closure', () => {
  it('runs the protocol on schedule and leaves a complete, unbroken record', async () => {
    const opened = await must(bot.engine, {
      type: 'open_episode',
      actor: jo,
      channel: demoChannel,
      child: 'aj',
      lastSeen: { at: '2026-11-20T22:05:00Z', place: 'front gate', by: 'Jo Reid' },
    });
    const episodeId = opened.episodeId!;
    await bot.tick();
    // The root card opens the thread and the first two checklists follow in it.
    expect(bot.chat.delivered.map((d) => d.kind)).toEqual(['root', 'thread', 'thread']);
    expect(bot.chat.delivered[0]!.card.title).toBe('AJ — missing from care');
    expect(bot.chat.delivered[1]!.card.title).toMatch(/^Stage 1 — establish .* — 6 open$/);

    await must(bot.engine, { type: 'tick_item', actor: jo, episodeId, itemId: 'search-building' });
    bot.clock.set('2026-11-20T22:20:00Z');
    await bot.tick();
    expect(await sentPings()).toHaveLength(0);
    // The ticked item updated the stage 1 card in place.
    expect(bot.chat.delivered.at(-1)).toMatchObject({
      kind: 'update',
      card: { title: expect.stringMatching(/5 open$/) },
    });

    // +15 min with stage 1 items still open: one reminder to the on-call manager, never two.
    bot.clock.set('2026-11-20T22:25:00Z');
    await bot.tick();
    await bot.tick();
    expect((await sentPings()).map((p) => p.rule)).toEqual(['stage-1-open']);
    expect(bot.chat.delivered.filter((d) => d.kind === 'direct').map((d) => d.to)).toEqual(['sam']);

    // The plan's report-after time (30 min from last seen at 22:05) passes with no police report.
    bot.clock.set('2026-11-20T22:35:00Z');
    await bot.tick();
    expect((await sentPings()).map((p) => p.rule)).toEqual(['stage-1-open', 'police-not-told']);

    bot.clock.set('2026-11-20T22:40:00Z');
    await must(bot.engine, {
      type: 'record_police_report',
      actor: jo,
      episodeId,
      reference: 'CAD-1234',
      officer: 'PC Evans',
      grade: 'medium',
    });
    // The repeat of "police not told" that was due at 22:50 is cancelled, not sent.
    bot.clock.set('2026-11-20T22:55:00Z');
    await bot.tick();
    expect((await sentPings()).map((p) => p.rule)).toEqual(['stage-1-open', 'police-not-told']);
    const cancelled = await bot.database.prisma.ping.findMany({
      where: { rule: 'police-not-told', status: 'cancelled' },
    });
    expect(cancelled).toHaveLength(1);

    // An hour after opening with no contact attempt logged: a prompt in the thread.
    bot.clock.set('2026-11-20T23:15:00Z');
    await bot.tick();
    expect((await sentPings()).map((p) => p.rule)).toEqual(['stage-1-open', 'police-not-told', 'contact-attempt-due']);

    // The child comes back the next morning.
    bot.clock.set('2026-11-21T08:00:00Z');
    await must(bot.engine, {
      type: 'record_return',
      actor: priya,
      episodeId,
      at: '2026-11-21T07:50:00Z',
      how: 'Walked back in',
      whereFound: 'home',
      condition: 'Tired, hungry, no injuries',
      indicators: [],
    });
    await must(bot.engine, { type: 'record_follow_up', actor: priya, episodeId, what: 'police_told_of_return' });
    await bot.tick();
    const beforeRhi = (await sentPings()).length;

    // RHI reminders at 24 h and 48 h after return, while it has not been held.
    bot.clock.set('2026-11-22T08:00:00Z');
    await bot.tick();
    bot.clock.set('2026-11-23T08:00:00Z');
    await bot.tick();
    const rhiRules = (await sentPings()).slice(beforeRhi).map((p) => p.rule);
    expect(rhiRules).toContain('rhi-24h');
    expect(rhiRules).toContain('rhi-48h');
    expect(rhiRules).not.toContain('rhi-66h-escalate');

    // Offered at 50 h: the 66 h escalation's reason is gone, so it is cancelled.
    bot.clock.set('2026-11-23T10:00:00Z');
    await must(bot.engine, {
      type: 'record_rhi',
      actor: priya,
      episodeId,
      status: 'offered',
      note: 'Independent worker booked',
    });
    bot.clock.set('2026-11-24T02:00:00Z');
    await bot.tick();
    expect((await sentPings()).map((p) => p.rule)).not.toContain('rhi-66h-escalate');

    // Closing while the RHI is only booked is refused with the list, nothing written...
    const early = await bot.engine.execute({ type: 'request_closure', actor: jo, episodeId, reason: 'Back safe' });
    expect(early).toMatchObject({
      ok: false,
      error: {
        code: 'follow_ups_outstanding',
        detail: { missing: expect.arrayContaining([expect.stringMatching(/return home interview/)]) },
      },
    });
    // ...unless closing with follow-ups outstanding is chosen: a support worker asks; another
    // support worker cannot approve; the manager can.
    const closure = await must(bot.engine, {
      type: 'request_closure',
      actor: jo,
      episodeId,
      reason: 'Back safe, RHI booked',
      withFollowUps: true,
    });
    expect(closure.reply?.fallback).toMatch(/approve closing the episode with follow-ups outstanding/);
    const approval = await bot.database.prisma.approval.findFirstOrThrow({ where: { episodeId, kind: 'closure' } });
    const refused = await bot.engine.execute({
      type: 'decide_approval',
      actor: priya,
      approvalId: approval.id,
      decision: 'approve',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_an_approver' } });
    expect((await bot.store.transaction((tx) => tx.episodes.get(episodeId)))?.status).toBe('returned');
    await must(bot.engine, { type: 'decide_approval', actor: sam, approvalId: approval.id, decision: 'approve' });
    const closed = await bot.store.transaction((tx) => tx.episodes.get(episodeId));
    expect(closed?.status).toBe('closed');
    // The RHI's clock outlives the thread: its breach reminder is still scheduled.
    const pending = await bot.database.prisma.ping.findMany({ where: { episodeId, status: 'pending' } });
    expect(pending.map((p) => p.rule)).toContain('rhi-72h-breach');

    // The record: every step, in order, by the right people, and the chain holds.
    const entries = await episodeRecord(episodeId);
    expect(verifyChain(entries)).toEqual({ ok: true, entries: entries.length });
    const steps = entries.map((e) => [e.kind, e.authorName]);
    const rhiAt = entries.findIndex((e) => e.kind === 'rhi');
    const between = (from: number, to: number) => entries.slice(from, to).map((e) => [e.kind, e.authorName]);
    expect(steps).toEqual([
      ['episode_opened', 'Jo Reid'],
      ['last_seen', 'Jo Reid'],
      ['item_done', 'Jo Reid'],
      ['ping', 'Missing-episode bot'],
      ['ping', 'Missing-episode bot'],
      ['police_report', 'Jo Reid'],
      ['ping', 'Missing-episode bot'],
      ['returned', 'Priya Shah'],
      ['item_not_applicable', 'Priya Shah'], // what the search left undone, now the child is back
      ['police_told_of_return', 'Priya Shah'],
      ...between(10, rhiAt),
      ['rhi', 'Priya Shah'],
      ...between(rhiAt + 1, entries.length - 4),
      ['approval_requested', 'Jo Reid'],
      ['approval_refused', 'Priya Shah'],
      ['approval_decided', 'Sam Okafor'],
      ['closed', 'Sam Okafor'],
    ]);
    // Between return and RHI only the scheduled reminders and shift handovers speak.
    // (the Regulation 40 decision's daily reminder among them, still undecided).
    const spoken = [...entries.slice(10, rhiAt), ...entries.slice(rhiAt + 1, entries.length - 4)];
    expect(spoken.every((e) => e.kind === 'ping' || e.kind === 'handover')).toBe(true);
    expect(entries.find((e) => e.kind === 'approval_refused')?.authorRole).toBe('support_worker');

    // No ping was sent twice.
    const keys = (await sentPings()).map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('joins the open episode when a second /missing names the same child', async () => {
    const first = await must(bot.engine, { type: 'open_episode', actor: jo, channel: demoChannel, child: 'AJ' });
    const second = await must(bot.engine, { type: 'open_episode', actor: priya, channel: demoChannel, child: 'AJ' });
    expect(second).toMatchObject({ episodeId: first.episodeId, joined: true });
    expect(await bot.database.prisma.episode.count()).toBe(1);
    const entries = await episodeRecord(first.episodeId!);
    expect(entries.map((e) => e.kind)).toEqual(['episode_opened', 'episode_joined']);
  });

  it('opens only one episode when two people race to open it', async () => {
    const [a, b] = await Promise.all([
      bot.engine.execute({ type: 'open_episode', actor: jo, channel: demoChannel, child: 'BT' }),
      bot.engine.execute({ type: 'open_episode', actor: priya, channel: demoChannel, child: 'BT' }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect(await bot.database.prisma.episode.count()).toBe(1);
  });
});
