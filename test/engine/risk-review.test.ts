import { afterEach, describe, expect, it } from 'vitest';
import { must, startTestBot, type TestBot } from '../support/bot.ts';
import { homesYaml as homesFile, samAndJo } from '../support/homes.ts';

const homesYaml = homesFile({
  id: 'oak',
  name: 'Oak House',
  channels: { web: 'oak' },
  staff: samAndJo('web'),
  children: [
    { id: 'child-aj', alias: 'AJ', plan: { reportAfterMinutes: 30, riskAssessmentReviewedOn: '2026-09-01' } },
    { id: 'child-bt', alias: 'BT', plan: { reportAfterMinutes: 30 } },
  ],
});
const jo = { platform: 'web', userId: 'jo' } as const;

let bot: TestBot;
afterEach(() => bot?.close());

const reviewReminders = (alias = 'AJ') =>
  bot.chat.delivered.filter((d) => d.kind === 'direct' && d.card.title === `Risk assessment review due: ${alias}`);

describe('risk assessment reviews', () => {
  it('reminds the managers three months after the last review, and not before', async () => {
    bot = await startTestBot({ at: '2026-11-30T23:00:00Z', homesYaml });
    await bot.tick();
    expect(reviewReminders()).toHaveLength(0);
    bot.clock.set('2026-12-01T00:00:05Z');
    await bot.tick();
    await bot.tick();
    expect(reviewReminders().map((d) => [d.to, d.card.title])).toEqual([['sam', 'Risk assessment review due: AJ']]);
  });

  it('asks for a review of a child with none recorded at once, in office hours (Monday morning after a Friday night)', async () => {
    bot = await startTestBot({ at: '2026-11-20T22:00:00Z', homesYaml }); // a Friday night
    await bot.tick();
    bot.clock.set('2026-11-21T10:00:00Z'); // Saturday: not office hours
    await bot.tick();
    expect(reviewReminders('BT')).toHaveLength(0);
    bot.clock.set('2026-11-23T09:00:05Z'); // Monday 09:00 (GMT)
    await bot.tick();
    await bot.tick();
    expect(reviewReminders('BT').map((d) => [d.to, d.card.fallback])).toEqual([
      [
        'sam',
        'No review of BT’s risk assessment is recorded. Review it now, and put the date in the child’s plan (riskAssessmentReviewedOn) or record it after the next episode.',
      ],
    ]);
    // Once only: the next reminder counts from the review, when one is recorded.
    bot.clock.set('2026-11-24T09:00:05Z');
    await bot.tick();
    expect(reviewReminders('BT')).toHaveLength(1);
  });

  it('does not count a drill’s practice update as a review of the real child’s risk assessment', async () => {
    bot = await startTestBot({ at: '2026-11-20T22:00:00Z', homesYaml });
    const { episodeId } = await must(bot.engine, {
      type: 'open_episode',
      actor: jo,
      channel: { platform: 'web', channelRef: 'oak' },
      child: 'BT',
      drill: true,
    });
    bot.clock.set('2026-11-20T22:30:00Z');
    await must(bot.engine, {
      type: 'record_return',
      actor: jo,
      episodeId,
      at: '2026-11-20T22:25:00Z',
      how: 'Walked in',
      whereFound: 'Home',
      condition: 'Well',
      indicators: [],
    });
    await must(bot.engine, { type: 'tick_item', actor: jo, episodeId, itemId: 'update-risk-assessment' });
    const child = await bot.store.transaction((tx) => tx.children.get('child-bt'));
    expect(child?.riskReviewedAt).toBeNull();
    const episode = await bot.store.transaction((tx) => tx.episodes.get(episodeId!));
    expect(episode?.riskAssessmentUpdatedAt?.toISOString()).toBe('2026-11-20T22:30:00.000Z');
  });

  it('counts a review recorded after an episode, and drops the reminder it made moot', async () => {
    bot = await startTestBot({ at: '2026-11-20T22:00:00Z', homesYaml });
    await bot.tick();
    const { episodeId } = await must(bot.engine, {
      type: 'open_episode',
      actor: jo,
      channel: { platform: 'web', channelRef: 'oak' },
      child: 'AJ',
    });
    bot.clock.set('2026-11-20T23:05:00Z');
    await must(bot.engine, {
      type: 'record_return',
      actor: jo,
      episodeId,
      at: '2026-11-20T23:00:00Z',
      how: 'Walked in',
      whereFound: 'Home',
      condition: 'Well',
      indicators: [],
    });
    bot.clock.set('2026-11-21T10:00:00Z');
    await must(bot.engine, { type: 'record_follow_up', actor: jo, episodeId, what: 'risk_assessment_updated' });
    await bot.tick();
    bot.clock.set('2026-12-02T00:00:00Z'); // the old reminder's due time has passed
    await bot.tick();
    expect(reviewReminders()).toHaveLength(0);
    const pings = await bot.database.prisma.ping.findMany({
      where: { rule: 'risk-assessment-review', key: { startsWith: 'child/child-aj/' } },
      orderBy: { dueAt: 'asc' },
    });
    expect(pings.map((p) => [p.dueAt.toISOString(), p.status])).toEqual([
      ['2026-12-01T00:00:00.000Z', 'cancelled'],
      ['2027-02-21T10:00:00.000Z', 'pending'],
    ]);
  });
});
