import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeError } from '../../src/messages/texts.ts';
import {
  demoChannel,
  episodeOf,
  jo,
  must,
  openEpisode,
  openWithThread,
  priya,
  recordOf,
  sam,
  startTestBot,
  writtenRows,
  type TestBot,
} from '../support/bot.ts';

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ at: '2026-11-20T22:10:00Z' });
});
afterEach(() => bot.close());

const stranger = { platform: 'web', userId: 'visitor-7', displayName: 'Pat Visitor' } as const;

/** Runs a command that must be refused, and proves the refusal wrote nothing at all. */
async function refusedWithoutTrace(command: unknown) {
  const before = await writtenRows(bot);
  const result = await bot.engine.execute(command);
  expect(result.ok).toBe(false);
  expect(await writtenRows(bot)).toEqual(before);
  if (result.ok) throw new Error('unreachable');
  return result.error;
}

describe('a /missing that cannot be acted on', () => {
  it('refuses an unknown child, names the children it knows, and writes nothing', async () => {
    const error = await refusedWithoutTrace({
      type: 'open_episode',
      eventId: 'ev-unknown-child',
      actor: jo,
      channel: demoChannel,
      child: 'ZZ',
    });
    expect(error).toEqual({ code: 'unknown_child', detail: { alias: 'ZZ', known: ['AJ', 'BT'] } });
    expect(describeError(error)).toContain('Children here: AJ, BT.');
    expect(await writtenRows(bot)).toMatchObject({ episodes: 0, entries: 0, outbox: 0, pings: 0, events: 0 });
    // Time passing sends nothing either: no ping was ever scheduled.
    bot.clock.advanceMinutes(120);
    await bot.tick();
    expect(bot.chat.delivered).toEqual([]);
  });

  it('asks which child when none is given', async () => {
    for (const child of ['', '   ']) {
      const error = await refusedWithoutTrace({ type: 'open_episode', actor: jo, channel: demoChannel, child });
      expect(error.code).toBe('no_child_given');
    }
  });

  it('refuses someone who is not on the staff list, and writes nothing', async () => {
    const error = await refusedWithoutTrace({
      type: 'open_episode',
      actor: stranger,
      channel: demoChannel,
      child: 'AJ',
    });
    expect(error.code).toBe('unknown_staff');
    const episodeId = await openEpisode(bot, 'AJ');
    const onEpisode = await refusedWithoutTrace({
      type: 'tick_item',
      actor: stranger,
      episodeId,
      itemId: 'check-room',
    });
    expect(onEpisode.code).toBe('unknown_staff');
  });
});

describe('malformed commands', () => {
  const tenMegabytes = 'x'.repeat(10 * 1024 * 1024);
  const cases: [string, unknown][] = [
    ['nothing at all', undefined],
    ['null', null],
    ['a bare string', '/missing AJ'],
    ['a number', 42],
    ['an array', [{ type: 'open_episode' }]],
    ['an object with no type', { actor: jo, child: 'AJ' }],
    ['an unknown type', { type: 'launch_rockets', actor: jo }],
    ['a known type with every field missing', { type: 'open_episode' }],
    ['a missing actor', { type: 'open_episode', channel: demoChannel, child: 'AJ' }],
    [
      'an unknown platform',
      { type: 'open_episode', actor: { platform: 'irc', userId: 'jo' }, channel: demoChannel, child: 'AJ' },
    ],
    ['a number where text belongs', { type: 'open_episode', actor: jo, channel: demoChannel, child: 42 }],
    ['an object as an id', { type: 'tick_item', actor: jo, episodeId: { $ne: null }, itemId: 'check-room' }],
    ['an empty user id', { type: 'tick_item', actor: { platform: 'web', userId: '' }, episodeId: 'e1', itemId: 'x' }],
    ['a time that is not a time', { type: 'record_last_seen', actor: jo, episodeId: 'e1', at: 'around teatime' }],
    ['an unknown risk level', { type: 'set_risk', actor: jo, episodeId: 'e1', level: 'extreme', reason: 'r' }],
    [
      'a 10 MB form field',
      { type: 'record_search', actor: jo, episodeId: 'e1', who: tenMegabytes, where: 'w', outcome: 'o' },
    ],
    [
      'files that are not a list',
      {
        type: 'record_message',
        actor: jo,
        thread: { platform: 'web', threadRef: 't' },
        messageId: 'm',
        text: 'hi',
        files: 'a.jpg',
      },
    ],
  ];

  it.each(cases)('answers invalid_input, never throws, for %s', async (_name, input) => {
    const error = await refusedWithoutTrace(input);
    expect(error.code).toBe('invalid_input');
    const problems = error.detail?.problems;
    expect(Array.isArray(problems) && problems.length).toBeGreaterThan(0);
    // The words are short enough to show, even when the input was huge.
    expect(describeError(error).length).toBeLessThan(2_000);
  });
});

describe('thread messages that cannot be recorded', () => {
  it('asks for some text when a message is empty', async () => {
    const { threadRef } = await openWithThread(bot, 'AJ');
    for (const text of ['', '  \n\t ']) {
      const error = await refusedWithoutTrace({
        type: 'record_message',
        actor: jo,
        thread: { platform: 'web', threadRef },
        messageId: 'msg-empty',
        text,
      });
      expect(error.code).toBe('text_empty');
    }
  });

  it('refuses a 10 MB message, says how long is allowed, and writes nothing', async () => {
    const { threadRef } = await openWithThread(bot, 'AJ');
    const text = 'x'.repeat(10 * 1024 * 1024);
    const error = await refusedWithoutTrace({
      type: 'record_message',
      eventId: 'ev-huge',
      actor: jo,
      thread: { platform: 'web', threadRef },
      messageId: 'msg-huge',
      text,
    });
    expect(error).toEqual({ code: 'text_too_long', detail: { length: text.length, max: 1_000_000 } });
    expect(describeError(error)).toMatch(/Nothing has been recorded yet/);
  });

  it('keeps a message longer than one entry whole, in parts in order, and tells the person', async () => {
    const { episodeId, threadRef } = await openWithThread(bot, 'AJ');
    const text = `${'a'.repeat(39_990)} ${'b'.repeat(30_000)} ${'c'.repeat(10)}`;
    const result = await bot.engine.execute({
      type: 'record_message',
      actor: jo,
      thread: { platform: 'web', threadRef },
      messageId: 'msg-long',
      text,
    });
    expect(result).toMatchObject({
      ok: true,
      reply: { blocks: [{ text: expect.stringMatching(/kept whole in 2 parts/) }] },
    });
    const parts = (await recordOf(bot, episodeId)).filter((e) => e.kind === 'message');
    expect(parts.map((p) => p.text.replace(/ \[part \d of \d\]$/, '')).join('')).toBe(text);
    expect(parts.map((p) => JSON.parse(p.dataJson))).toMatchObject([
      { part: 1, of: 2 },
      { part: 2, of: 2 },
    ]);
  });
});

describe('checklist items', () => {
  it('needs a reason to mark an item not applicable', async () => {
    const episodeId = await openEpisode(bot, 'AJ');
    for (const reason of ['', '   ']) {
      const error = await refusedWithoutTrace({
        type: 'mark_not_applicable',
        actor: jo,
        episodeId,
        itemId: 'ask-peers',
        reason,
      });
      expect(error.code).toBe('reason_required');
    }
  });

  it('never lets an item that has to be done be marked not applicable', async () => {
    const episodeId = await openEpisode(bot, 'AJ');
    const error = await refusedWithoutTrace({
      type: 'mark_not_applicable',
      actor: jo,
      episodeId,
      itemId: 'report-police',
      reason: 'Sure she is at her friend’s',
    });
    expect(error).toEqual({ code: 'item_cannot_be_na', detail: { label: expect.stringMatching(/police/i) } });
    expect((await episodeOf(bot, episodeId))?.checklist['report-police']).toBeUndefined();
  });
});

describe('approvals pressed by the wrong person', () => {
  it('refuses a support worker, keeps the refusal in the record, and changes nothing', async () => {
    const episodeId = await openEpisode(bot, 'AJ');
    await must(bot.engine, {
      type: 'classify',
      actor: jo,
      episodeId,
      classification: 'absent',
      reason: 'Texted from a friend’s',
    });
    const approval = await bot.database.prisma.approval.findFirstOrThrow({ where: { episodeId } });

    const result = await bot.engine.execute({
      type: 'decide_approval',
      actor: priya,
      approvalId: approval.id,
      decision: 'approve',
    });
    expect(result).toEqual({
      ok: false,
      error: { code: 'not_an_approver', detail: { roles: ['manager', 'deputy manager'] } },
    });
    const refusal = (await recordOf(bot, episodeId)).at(-1);
    expect(refusal).toMatchObject({ kind: 'approval_refused', authorName: 'Priya Shah', authorRole: 'support_worker' });
    expect(refusal?.text).toMatch(/^Priya Shah \(support worker\) tried to approve/);
    expect((await bot.database.prisma.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe(
      'pending',
    );
    expect((await episodeOf(bot, episodeId))?.classification).toBe('missing');
    const history = await bot.store.transaction((tx) => tx.episodes.classificationHistory(episodeId));
    expect(history.map((h) => h.classification)).toEqual(['missing']);
  });
});

describe('closure and closed episodes', () => {
  it('will not ask for closure before the child is back, and says what is missing', async () => {
    const episodeId = await openEpisode(bot, 'AJ');
    const error = await refusedWithoutTrace({ type: 'request_closure', actor: jo, episodeId, reason: 'Probably fine' });
    expect(error).toEqual({ code: 'closure_incomplete', detail: { missing: ['the child’s return'] } });
    expect(describeError(error)).toContain('still needed: the child’s return');
  });

  it('refuses changes to a closed episode', async () => {
    const episodeId = await openEpisode(bot, 'AJ');
    bot.clock.set('2026-11-20T22:45:00Z');
    await must(bot.engine, {
      type: 'record_return',
      actor: jo,
      episodeId,
      at: '2026-11-20T22:40:00Z',
      how: 'Walked back in',
      whereFound: 'home',
      condition: 'Well',
    });
    await must(bot.engine, { type: 'record_follow_up', actor: jo, episodeId, what: 'police_told_of_return' });
    await must(bot.engine, { type: 'record_rhi', actor: jo, episodeId, status: 'offered' });
    await must(bot.engine, { type: 'request_closure', actor: jo, episodeId, reason: 'Back safe', withFollowUps: true });
    const approval = await bot.database.prisma.approval.findFirstOrThrow({ where: { episodeId, kind: 'closure' } });
    await must(bot.engine, { type: 'decide_approval', actor: sam, approvalId: approval.id, decision: 'approve' });
    expect((await episodeOf(bot, episodeId))?.status).toBe('closed');

    for (const command of [
      { type: 'tick_item', actor: jo, episodeId, itemId: 'check-room' },
      { type: 'set_risk', actor: sam, episodeId, level: 'high', reason: 'New information' },
      { type: 'record_contact_attempt', actor: jo, episodeId, method: 'phone', outcome: 'no answer' },
    ]) {
      expect((await refusedWithoutTrace(command)).code).toBe('episode_closed');
    }
  });
});

describe('retried deliveries', () => {
  it('processes the same event once, however often it arrives', async () => {
    const episodeId = await openEpisode(bot, 'AJ');
    const press = { type: 'tick_item', eventId: 'Ev-press-1', actor: jo, episodeId, itemId: 'check-room' };
    expect(await bot.engine.execute(press)).toEqual({ ok: true, episodeId });
    expect(await bot.engine.execute(press)).toEqual({ ok: true, duplicate: true });
    const done = (await recordOf(bot, episodeId)).filter((e) => e.kind === 'item_done');
    expect(done).toHaveLength(1);
  });

  it('processes an event once when two retries race', async () => {
    const { threadRef, episodeId } = await openWithThread(bot, 'AJ');
    const message = {
      type: 'record_message',
      eventId: 'Ev-msg-1',
      actor: jo,
      thread: { platform: 'web', threadRef },
      messageId: 'msg-1',
      text: 'Checked the park, no sign',
    };
    const results = await Promise.all([bot.engine.execute(message), bot.engine.execute(message)]);
    expect(results.filter((r) => r.ok && r.duplicate)).toHaveLength(1);
    expect((await recordOf(bot, episodeId)).filter((e) => e.kind === 'message')).toHaveLength(1);
  });
});
