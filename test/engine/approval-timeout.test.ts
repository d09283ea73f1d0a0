import { afterEach, describe, expect, it } from 'vitest';
import { must, startTestBot, type TestBot } from '../support/bot.ts';
import { homesYaml as homesFile, samAndJo } from '../support/homes.ts';

const [samStaff, joStaff] = samAndJo('web');
const homesYaml = homesFile({
  id: 'ash-house',
  name: 'Ash House',
  channels: { web: 'ash' },
  policy: { approvalTimeoutMinutes: 20 },
  staff: [samStaff!, { id: 'dee', name: 'Dee Park', role: 'deputy_manager', web: 'dee' }, joStaff!],
  children: [{ id: 'child-aj', alias: 'AJ', plan: { reportAfterMinutes: 30 } }],
});
const jo = { platform: 'web', userId: 'jo' } as const;
const dee = { platform: 'web', userId: 'dee' } as const;

let bot: TestBot;
afterEach(() => bot?.close());

const approvalDMs = () =>
  bot.chat.delivered.filter((d) => d.kind === 'direct' && d.card.title.startsWith('Approval needed')).map((d) => d.to);

describe('an approval nobody decides', () => {
  it('goes to the first manager, then down the list at each timeout, and stops once decided', async () => {
    bot = await startTestBot({ at: '2026-11-20T22:10:00Z', homesYaml });
    const { episodeId } = await must(bot.engine, {
      type: 'open_episode',
      actor: jo,
      channel: { platform: 'web', channelRef: 'ash' },
      child: 'AJ',
    });
    await must(bot.engine, {
      type: 'classify',
      actor: jo,
      episodeId,
      classification: 'absent',
      reason: 'Known to be at her aunt’s',
    });
    await bot.tick();
    expect(approvalDMs()).toEqual(['sam']);

    bot.clock.advanceMinutes(19);
    await bot.tick();
    expect(approvalDMs()).toEqual(['sam']);
    bot.clock.advanceMinutes(2); // 21 minutes: past the home's 20-minute timeout
    await bot.tick();
    expect(approvalDMs()).toEqual(['sam', 'dee']);
    bot.clock.advanceMinutes(21);
    await bot.tick();
    expect(approvalDMs()).toEqual(['sam', 'dee', 'sam']);

    const approval = await bot.database.prisma.approval.findFirstOrThrow({ where: { episodeId } });
    await must(bot.engine, { type: 'decide_approval', actor: dee, approvalId: approval.id, decision: 'approve' });
    bot.clock.advanceMinutes(60);
    await bot.tick();
    expect(approvalDMs()).toEqual(['sam', 'dee', 'sam']);
    const entries = await bot.store.transaction((tx) => tx.record.list(episodeId!));
    expect(
      entries.filter((e) => e.kind === 'ping' && e.text.startsWith('Approval not decided')).map((e) => e.text),
    ).toEqual([
      'Approval not decided after 20 minutes: passed on to Dee Park.',
      'Approval not decided after 20 minutes: passed on to Sam Okafor.',
    ]);
    // The ladder's own reconciling never cancelled the approval's reminders while it was pending.
    const reminders = await bot.database.prisma.ping.findMany({
      where: { key: { startsWith: `approval/${approval.id}/` } },
      orderBy: { dueAt: 'asc' },
    });
    expect(reminders.map((p) => p.status)).toEqual(['sent', 'sent', 'cancelled']);
  });
});
