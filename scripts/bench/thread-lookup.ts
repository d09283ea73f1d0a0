// Thread lookup: a thread message finds its episode by the thread it was posted in. With years of
// past episodes in the table that must cost no more than with one (the (platform, threadRef)
// index): the same messages into one open episode, on a database with a single episode and on one
// with 50,000 closed ones, timed alternately so load on the machine falls on both alike.
import { openBenchBot, openWithThread, since, webJo, type BenchBot } from './support.ts';

export interface ThreadLookupResult {
  pastEpisodes: number;
  messages: number;
  /** Milliseconds a message, with one episode in the table. */
  single: number;
  /** Milliseconds a message, with `pastEpisodes` closed episodes as well. */
  many: number;
}

const at = new Date('2026-11-20T22:10:00Z');

/** Writes closed episodes straight into the table, each with its own thread, as years of use leave them. */
async function seedPast(bot: BenchBot, count: number): Promise<void> {
  const batch = 1_000;
  for (let from = 0; from < count; from += batch) {
    await bot.database.prisma.episode.createMany({
      data: Array.from({ length: Math.min(batch, count - from) }, (_, i) => {
        const n = from + i;
        const openedAt = new Date(at.getTime() - (n + 1) * 3_600_000);
        return {
          homeId: 'bench-house',
          childId: 'c00002',
          status: 'closed',
          classification: 'missing',
          riskLevel: 'medium',
          openedAt,
          openedByStaffId: 'jo',
          platform: 'web',
          threadRef: `bench-house/past-${n}`,
          returnedAt: openedAt,
          closedAt: openedAt,
        };
      }),
    });
  }
}

export async function measureThreadLookup({ pastEpisodes = 50_000, rounds = 4, perRound = 150 } = {}) {
  const single = await openBenchBot({ children: 3, at });
  const many = await openBenchBot({ children: 3, at });
  try {
    await seedPast(many, pastEpisodes);
    const threads = [await openWithThread(single, 'C00001'), await openWithThread(many, 'C00001')] as const;
    const ms: [number, number] = [0, 0];
    let n = 0;
    const send = async (bot: BenchBot, threadRef: string) => {
      const result = await bot.engine.execute({
        type: 'record_message',
        eventId: `Ev-lookup-${++n}`,
        actor: webJo,
        thread: { platform: 'web', threadRef },
        messageId: `m-${n}`,
        text: `Rang her friend again, no answer (${n})`,
      });
      if (!result.ok) throw new Error(`record_message refused: ${result.error.code}`);
    };
    for (let round = 0; round < rounds; round++)
      for (const which of round % 2 ? ([1, 0] as const) : ([0, 1] as const)) {
        const bot = which === 0 ? single : many;
        const start = performance.now();
        for (let i = 0; i < perRound; i++) await send(bot, threads[which].threadRef);
        ms[which] += since(start);
      }
    const messages = rounds * perRound;
    return { pastEpisodes, messages, single: ms[0] / messages, many: ms[1] / messages } satisfies ThreadLookupResult;
  } finally {
    await single.close();
    await many.close();
  }
}
