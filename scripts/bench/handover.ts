// What people look at in a busy home, timed as they ask for it: the handover summary
// (`/missing handover`) of a home with 50 open episodes of 1,000 record entries each, and the Home
// tab of a home with 1,000 open episodes. The entries are written straight into the table,
// properly chained, so the setup takes seconds rather than minutes; the episodes are opened
// through the engine.
import { entryHash, type RecordEntry } from '../../src/domain/record.ts';
import { openBenchBot, percentile, since, type BenchBot } from './support.ts';

export interface ViewResult {
  episodes: number;
  entriesEach: number;
  runs: number;
  firstMs: number;
  p50Ms: number;
  maxMs: number;
}

const channelRef = 'busy-house';
/** One home with this many children, a manager and a support worker on the web platform. */
function busyHome(children: number): string {
  return JSON.stringify({
    homes: [
      {
        id: 'busy-house',
        name: 'Busy House',
        timeZone: 'Europe/London',
        channels: { web: channelRef },
        onCall: ['sam'],
        staff: [
          { id: 'sam', name: 'Sam Okafor', role: 'manager', web: 'sam' },
          { id: 'jo', name: 'Jo Reid', role: 'support_worker', web: 'jo' },
        ],
        children: Array.from({ length: children }, (_, i) => ({ id: `c${i}`, alias: `K${i}` })),
      },
    ],
  });
}

async function openEpisodes(bot: BenchBot, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = await bot.engine.execute({
      type: 'open_episode',
      actor: { platform: 'web', userId: 'jo' },
      channel: { platform: 'web', channelRef },
      child: `K${i}`,
    });
    if (!result.ok || !result.episodeId) throw new Error(`could not open an episode for K${i}`);
    ids.push(result.episodeId);
  }
  return ids;
}

/** Adds record entries to an episode until it holds `entries`, chained as the engine chains them. */
async function fillRecord(bot: BenchBot, episodeId: string, entries: number, at0: number): Promise<void> {
  const prisma = bot.database.prisma;
  const last = await prisma.logEntry.findFirstOrThrow({ where: { episodeId }, orderBy: { seq: 'desc' } });
  let prevHash = last.hash;
  let seq = last.seq;
  const batch: RecordEntry[] = [];
  while (seq < entries) {
    seq += 1;
    const unsigned: Omit<RecordEntry, 'hash'> = {
      episodeId,
      seq,
      at: new Date(at0 + seq * 1000),
      authorStaffId: 'jo',
      authorName: 'Jo Reid',
      authorRole: 'support_worker',
      kind: seq % 10 === 0 ? 'search' : 'message',
      text: `Update ${seq}: checked the park and the bus stop, no sign yet.`,
      dataJson: '{}',
      platform: 'web',
      platformMessageId: `${episodeId}-m-${seq}`,
      amendsEntryId: null,
      prevHash,
    };
    prevHash = entryHash(unsigned);
    batch.push({ ...unsigned, hash: prevHash });
    if (batch.length === 500) await prisma.logEntry.createMany({ data: batch.splice(0) });
  }
  if (batch.length > 0) await prisma.logEntry.createMany({ data: batch });
}

async function timeRuns(runs: number, read: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    if (!(await read())) throw new Error('the view came back empty');
    times.push(since(start));
  }
  return { firstMs: times[0]!, p50Ms: percentile(times, 50), maxMs: Math.max(...times) };
}

/** The handover summary of a home with `episodes` open episodes of `entriesEach` entries. */
export async function measureHandover(episodes = 50, entriesEach = 1_000, runs = 30): Promise<ViewResult> {
  const at = new Date('2026-11-20T22:10:00Z');
  const bot = await openBenchBot({ children: episodes, at, homesYaml: busyHome(episodes) });
  try {
    for (const id of await openEpisodes(bot, episodes)) await fillRecord(bot, id, entriesEach, at.getTime());
    const timed = await timeRuns(runs, () => bot.queries.handoverSummary('web', { channelRef }));
    return { episodes, entriesEach, runs, ...timed };
  } finally {
    await bot.close();
  }
}

/** The Home tab (the manager's view of the home) with `episodes` open episodes. */
export async function measureHomeTab(episodes = 1_000, runs = 30): Promise<ViewResult> {
  const at = new Date('2026-11-20T22:10:00Z');
  const bot = await openBenchBot({ children: episodes, at, homesYaml: busyHome(episodes) });
  try {
    await openEpisodes(bot, episodes);
    const timed = await timeRuns(runs, () => bot.queries.homeViewForUser('web', 'sam'));
    return { episodes, entriesEach: 0, runs, ...timed };
  } finally {
    await bot.close();
  }
}
