import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startTestBot, type TestBot } from '../support/bot.ts';

// A local authority's open episodes, read together (the scheduler's sweeps, a busy home's views),
// are more than SQLite's old limit of 999 bound values: reading their relations must still work.
const EPISODES = 1_500;
const homes = stringify({
  homes: [
    {
      id: 'county',
      name: 'County placements',
      timeZone: 'Europe/London',
      channels: { web: 'county' },
      staff: [{ id: 'sam', name: 'Sam Okafor', role: 'manager', web: 'sam' }],
      children: Array.from({ length: EPISODES }, (_, i) => ({ id: `c${i}`, alias: `K${i}` })),
    },
  ],
});

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ homesYaml: homes });
  // Written straight into the table: what matters here is how many there are, not how they came.
  await bot.database.prisma.episode.createMany({
    data: Array.from({ length: EPISODES }, (_, i) => ({
      id: `e${i}`,
      homeId: 'county',
      childId: `c${i}`,
      openChildId: `c${i}`,
      status: 'open',
      classification: 'missing',
      riskLevel: 'medium',
      openedAt: new Date('2026-11-20T22:00:00Z'),
      openedByStaffId: 'sam',
      platform: 'web',
    })),
  });
});
afterAll(() => bot.close());

it('lists 1,500 open episodes with their relations, and shows them on the Home tab', async () => {
  expect(await bot.store.transaction((tx) => tx.episodes.listActive())).toHaveLength(EPISODES);
  const view = await bot.queries.homeViewForUser('web', 'sam');
  expect(view?.episodes).toHaveLength(EPISODES);
  const handover = await bot.queries.handoverSummary('web', { channelRef: 'county' });
  expect(JSON.stringify(handover)).toContain('K1499');
});
