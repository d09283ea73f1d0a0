import { afterEach, describe, expect, it } from 'vitest';
import { must, startTestBot, type TestBot } from '../support/bot.ts';
import { homesYaml as homesFile, samAndJo } from '../support/homes.ts';

// Jo (support worker) is on call; Sam is the manager handovers escalate to.
const homesYaml = homesFile({
  id: 'elm-house',
  name: 'Elm House',
  shiftChanges: ['07:30', '22:00'],
  channels: { web: 'elm' },
  onCall: ['jo'],
  staff: samAndJo('web'),
  children: ['AJ', 'BT'].map((alias) => ({
    id: `child-${alias.toLowerCase()}`,
    alias,
    plan: { reportAfterMinutes: 30 },
  })),
});
const jo = { platform: 'web', userId: 'jo' } as const;
const sam = { platform: 'web', userId: 'sam' } as const;
const channel = { platform: 'web', channelRef: 'elm' } as const;

let bot: TestBot;
afterEach(() => bot?.close());

const handovers = () => bot.database.prisma.handover.findMany({ orderBy: { shiftAt: 'asc' } });
/** Handover summaries sent directly to someone (the on-call person also gets ladder reminders). */
const directTo = (who: string) =>
  bot.chat.delivered.filter((d) => d.kind === 'direct' && d.to === who && d.card.title.startsWith('Handover for'));

async function openAt(at: string, child = 'AJ') {
  bot.clock.set(at);
  return must(bot.engine, { type: 'open_episode', actor: jo, channel, child });
}

describe('shift handovers', () => {
  it('lands at the right wall-clock time across the spring clock change, once per shift', async () => {
    bot = await startTestBot({ at: '2026-03-28T20:00:00Z', homesYaml });
    const { episodeId } = await openAt('2026-03-28T20:00:00Z');
    await must(bot.engine, {
      type: 'record_police_report',
      actor: jo,
      episodeId,
      reference: 'CAD-77',
      officer: 'PC Shah',
      grade: 'medium',
    });

    bot.clock.set('2026-03-28T21:59:00Z');
    await bot.tick();
    expect(await handovers()).toHaveLength(0);
    bot.clock.set('2026-03-28T22:00:30Z'); // 22:00 GMT
    await bot.tick();
    await bot.tick();
    // Sunday 29 March: clocks go forward at 01:00 GMT, so 07:30 local is 06:30 UTC.
    bot.clock.set('2026-03-29T06:30:30Z');
    await bot.tick();
    expect((await handovers()).map((h) => h.shiftAt.toISOString())).toEqual([
      '2026-03-28T22:00:00.000Z',
      '2026-03-29T06:30:00.000Z',
    ]);

    const summary = directTo('jo')[0]!.card;
    expect(summary.title).toBe('Handover for Elm House: 1 missing');
    const text = JSON.stringify(summary);
    expect(text).toContain('ref CAD-77, PC Shah');
    expect(text).toContain('I accept handover');
    const entries = await bot.store.transaction((tx) => tx.record.list(episodeId!));
    expect(entries.filter((e) => e.kind === 'handover').map((e) => e.text)).toEqual([
      'Shift handover (Sat 28 Mar 22:00) sent to Jo Reid.',
      'Shift handover (Sun 29 Mar 07:30) sent to Jo Reid.',
    ]);
    expect(
      bot.chat.delivered.filter((d) => d.kind === 'thread' && d.card.title === 'Shift handover — AJ'),
    ).toHaveLength(2);
  });

  it('goes to the incoming shift the rota names, across the spring clock change, and the acceptance names who took it', async () => {
    const rotaYaml = homesFile({
      id: 'elm-house',
      name: 'Elm House',
      shiftChanges: ['07:30', '22:00'],
      channels: { web: 'elm' },
      onCall: ['jo'],
      staff: [...samAndJo('web'), { id: 'priya', name: 'Priya Shah', role: 'support_worker', web: 'priya' }],
      // Nights are Sam's; weekend days are Priya's; weekday days fall back to the on-call (Jo).
      rota: [
        { starts: '22:00', staff: ['sam'] },
        { starts: '07:30', days: ['sat', 'sun'], staff: ['priya'] },
      ],
      children: [{ id: 'child-aj', alias: 'AJ', plan: { reportAfterMinutes: 30 } }],
    });
    bot = await startTestBot({ at: '2026-03-28T20:00:00Z', homesYaml: rotaYaml });
    const { episodeId } = await openAt('2026-03-28T20:00:00Z');
    bot.clock.set('2026-03-28T22:00:30Z'); // Saturday 22:00 GMT: the night shift
    await bot.tick();
    // Sunday 29 March, after the clocks went forward: 07:30 BST is 06:30 UTC, Priya's weekend day.
    bot.clock.set('2026-03-29T06:30:30Z');
    await bot.tick();
    // Monday 30 March 07:30 BST: a weekday day the rota leaves to the on-call.
    bot.clock.set('2026-03-30T06:30:30Z');
    await bot.tick();
    const entries = async () => bot.store.transaction((tx) => tx.record.list(episodeId!));
    expect((await entries()).filter((e) => e.kind === 'handover').map((e) => e.text)).toEqual([
      'Shift handover (Sat 28 Mar 22:00) sent to Sam Okafor.',
      'Shift handover (Sun 29 Mar 07:30) sent to Priya Shah.',
      'Shift handover (Mon 30 Mar 07:30) sent to Jo Reid.',
    ]);
    // Not accepted: each is sent again to its own shift's people before it goes to the managers.
    expect(
      (await entries())
        .filter((e) => e.kind === 'ping' && e.text.includes('sent again'))
        .map((e) => e.text)
        .slice(0, 2),
    ).toEqual([
      'The Sat 28 Mar 22:00 handover was not accepted yet: sent again to Sam Okafor.',
      'The Sun 29 Mar 07:30 handover was not accepted yet: sent again to Priya Shah.',
    ]);
    const [, priyas] = await handovers();
    await must(bot.engine, {
      type: 'accept_handover',
      actor: { platform: 'web', userId: 'priya' },
      handoverId: priyas!.id,
    });
    expect((await entries()).filter((e) => e.kind === 'handover_accepted').map((e) => e.text)).toEqual([
      'Priya Shah accepted the handover of the Sun 29 Mar 07:30 shift change.',
    ]);
  });

  it('lands at the right wall-clock time across the autumn clock change', async () => {
    bot = await startTestBot({ at: '2026-10-24T18:00:00Z', homesYaml });
    await openAt('2026-10-24T18:00:00Z');
    bot.clock.set('2026-10-24T21:00:30Z'); // 22:00 BST
    await bot.tick();
    bot.clock.set('2026-10-25T07:30:30Z'); // 07:30 GMT, after the clocks went back
    await bot.tick();
    expect((await handovers()).map((h) => h.shiftAt.toISOString())).toEqual([
      '2026-10-24T21:00:00.000Z',
      '2026-10-25T07:30:00.000Z',
    ]);
  });

  it('sends an unaccepted handover again, then escalates it to the manager; acceptance stops both and is in every record', async () => {
    bot = await startTestBot({ at: '2026-11-20T20:00:00Z', homesYaml });
    const aj = await openAt('2026-11-20T20:00:00Z', 'AJ');
    const bt = await openAt('2026-11-20T20:05:00Z', 'BT');
    bot.clock.set('2026-11-20T22:00:10Z');
    await bot.tick();
    expect(directTo('jo')).toHaveLength(1);
    bot.clock.set('2026-11-20T22:15:10Z');
    await bot.tick();
    expect(directTo('jo')).toHaveLength(2);
    expect(directTo('sam')).toHaveLength(0);
    bot.clock.set('2026-11-20T22:30:10Z');
    await bot.tick();
    const escalation = directTo('sam')[0]!;
    expect(JSON.stringify(escalation.card)).toContain(
      'Nobody has accepted the Fri 20 Nov 22:00 handover (sent to Jo Reid)',
    );

    const [handover] = await handovers();
    await must(bot.engine, { type: 'accept_handover', actor: jo, handoverId: handover!.id });
    const again = await bot.engine.execute({ type: 'accept_handover', actor: sam, handoverId: handover!.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'handover_already_accepted', detail: { by: 'Jo Reid' } } });
    for (const { episodeId } of [aj, bt]) {
      const entries = await bot.store.transaction((tx) => tx.record.list(episodeId!));
      expect(entries.filter((e) => e.kind === 'handover_accepted').map((e) => e.authorName)).toEqual(['Jo Reid']);
    }
  });

  it('stops the re-send when the handover is accepted in time', async () => {
    bot = await startTestBot({ at: '2026-11-20T20:00:00Z', homesYaml });
    await openAt('2026-11-20T20:00:00Z');
    bot.clock.set('2026-11-20T22:00:10Z');
    await bot.tick();
    const [handover] = await handovers();
    await must(bot.engine, { type: 'accept_handover', actor: jo, handoverId: handover!.id });
    bot.clock.set('2026-11-20T23:00:00Z');
    await bot.tick();
    expect(directTo('jo')).toHaveLength(1);
    expect(directTo('sam')).toHaveLength(0);
    expect(
      await bot.database.prisma.ping.count({
        where: { key: { startsWith: `handover/${handover!.id}/` }, status: 'cancelled' },
      }),
    ).toBe(2);
  });

  it('does not send a handover for a shift long past (the bot was down), nor when nothing is open', async () => {
    bot = await startTestBot({ at: '2026-11-20T21:00:00Z', homesYaml });
    bot.clock.set('2026-11-20T22:00:10Z');
    await bot.tick();
    expect(await handovers()).toHaveLength(0); // nothing open
    await openAt('2026-11-20T22:30:00Z');
    bot.clock.set('2026-11-21T01:00:00Z'); // three hours after 22:00
    await bot.tick();
    expect(await handovers()).toHaveLength(0);
  });

  it('gives the same summary on demand', async () => {
    bot = await startTestBot({ at: '2026-11-20T20:00:00Z', homesYaml });
    await openAt('2026-11-20T20:00:00Z');
    await must(bot.engine, {
      type: 'record_message',
      actor: jo,
      thread: { platform: 'web', threadRef: 'unused' },
      messageId: 'x',
      text: 'x',
    }).catch(() => undefined);
    const card = await bot.queries.handoverSummary('web', { channelRef: 'elm' });
    expect(card?.title).toBe('Handover for Elm House: 1 missing');
    expect(JSON.stringify(card)).toContain('NOT YET TOLD');
    expect(JSON.stringify(card)).not.toContain('I accept handover');
  });
});
