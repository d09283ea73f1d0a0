import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { must, startTestBot, type TestBot } from '../support/bot.ts';

// What people look at reads the same number of statements whether a home has 10 open episodes
// or 500: each kind of row is read for all of them at once, never once per episode or person.
// Counted, not timed (the benchmark times them).
const CHILDREN = 500;
const homes = stringify({
  homes: [
    {
      id: 'big-house',
      name: 'Big House',
      timeZone: 'Europe/London',
      shiftChanges: ['07:30', '22:00'],
      channels: { web: 'big-house' },
      onCall: ['sam'],
      staff: [
        { id: 'sam', name: 'Sam Okafor', role: 'manager', web: 'sam' },
        { id: 'jo', name: 'Jo Reid', role: 'support_worker', web: 'jo' },
        ...Array.from({ length: 20 }, (_, i) => ({
          id: `s${i}`,
          name: `Staff ${i}`,
          role: 'support_worker',
          web: `s${i}`,
        })),
      ],
      children: Array.from({ length: CHILDREN }, (_, i) => ({ id: `c${i}`, alias: `K${i}`, plan: {} })),
    },
  ],
});
const channel = { platform: 'web', channelRef: 'big-house' } as const;
const jo = { platform: 'web', userId: 'jo' } as const;

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ homesYaml: homes });
});
afterAll(() => bot.close());

async function openUpTo(n: number) {
  const open = (await bot.store.transaction((tx) => tx.episodes.listActive())).length;
  for (let i = open; i < n; i++) await must(bot.engine, { type: 'open_episode', actor: jo, channel, child: `K${i}` });
  expect((await bot.store.transaction((tx) => tx.episodes.listActive())).length).toBe(n);
}

/** A few episodes with a police report, a message and a return, so every kind of row is there to read. */
async function fillIn(count: number) {
  const active = await bot.store.transaction((tx) => tx.episodes.listActive());
  for (const e of active.slice(0, count)) {
    if (e.police) continue;
    await must(bot.engine, {
      type: 'record_police_report',
      actor: jo,
      episodeId: e.id,
      reference: `R${e.alias}`,
      grade: 'medium',
    });
    await must(bot.engine, {
      type: 'record_search',
      actor: jo,
      episodeId: e.id,
      who: 'Jo',
      where: 'Park',
      outcome: 'Not there',
    });
  }
  const back = active[0]!;
  if (back.status === 'open')
    await must(bot.engine, {
      type: 'record_return',
      actor: jo,
      episodeId: back.id,
      at: bot.clock.now().toISOString(),
      how: 'Walked in',
      whereFound: 'Home',
      condition: 'Well',
      indicators: [],
    });
  bot.clock.advanceMinutes(20);
  await bot.tick(); // the 15-minute reminders go out: sent pings as well as pending ones
}

/** The statements each view reads, by view. */
async function statementsOfViews() {
  const counted = async (read: () => Promise<unknown>) => {
    // Read once first: who a platform user is comes from a kept directory once asked (its reads
    // are not what grows with the home).
    await read();
    const before = bot.database.statements!();
    const out = await read();
    expect(out).toBeTruthy();
    return bot.database.statements!() - before;
  };
  return {
    handover: await counted(() => bot.queries.handoverSummary('web', { channelRef: 'big-house' })),
    homeTab: await counted(() => bot.queries.homeViewForUser('web', 'sam')),
    sidebar: await counted(() => bot.queries.homeView('web', 'big-house')),
    list: await counted(() => bot.queries.listEpisodes('web', 'big-house')),
    status: await counted(() => bot.queries.episodeStatus('web', 'big-house', 'K3')),
  };
}

describe('the reads behind what people look at', () => {
  it('read as many statements with 500 open episodes as with 10', { timeout: 300_000 }, async () => {
    await openUpTo(10);
    await fillIn(5);
    const ten = await statementsOfViews();
    await openUpTo(CHILDREN);
    await fillIn(5);
    const many = await statementsOfViews();
    expect(many).toEqual(ten);
    // And few: a handful each (a query with its relations is several statements), never one per episode.
    for (const count of Object.values(ten)) expect(count).toBeLessThanOrEqual(16);
  });
});
