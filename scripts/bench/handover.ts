// Handover summary time (engine.handoverSummary, as `/missing handover` asks for it) for a home
// whose open episode has 10,000 record entries. The entries are written straight into the table,
// properly chained, so the setup takes seconds rather than minutes.
import { entryHash, type RecordEntry } from '../../src/domain/record.ts';
import { openBenchBot, openWithThread, percentile, since, webChannel } from './support.ts';

export interface HandoverResult {
  entries: number;
  runs: number;
  firstMs: number;
  p50Ms: number;
  maxMs: number;
  chars: number;
}

export async function measureHandover(entries = 10_000, runs = 30): Promise<HandoverResult> {
  const bot = await openBenchBot({ children: 3, at: new Date('2026-11-20T22:10:00Z') });
  try {
    const { episodeId } = await openWithThread(bot, 'C00001');
    const prisma = bot.database.prisma;
    const existing = await prisma.logEntry.findMany({ where: { episodeId }, orderBy: { seq: 'asc' } });
    let last = existing.at(-1)!;
    let prevHash = last.hash;
    let seq = last.seq;
    const at0 = bot.clock.now().getTime();
    const batch: RecordEntry[] = [];
    const flush = async () => {
      await prisma.logEntry.createMany({ data: batch.splice(0) });
    };
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
        platformMessageId: `m-${seq}`,
        amendsEntryId: null,
        prevHash,
      };
      prevHash = entryHash(unsigned);
      batch.push({ ...unsigned, hash: prevHash });
      if (batch.length === 500) await flush();
    }
    await flush();
    last = (await prisma.logEntry.findFirstOrThrow({ where: { episodeId }, orderBy: { seq: 'desc' } }))!;
    if (last.seq !== entries) throw new Error(`expected ${entries} entries, found ${last.seq}`);
    bot.clock.set(new Date(at0 + (entries + 60) * 1000));

    const times: number[] = [];
    let chars = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const card = await bot.queries.handoverSummary('web', { channelRef: webChannel.channelRef });
      times.push(since(start));
      if (!card) throw new Error('no handover card');
      chars = JSON.stringify(card).length;
    }
    return {
      entries,
      runs,
      firstMs: times[0]!,
      p50Ms: percentile(times, 50),
      maxMs: Math.max(...times),
      chars,
    };
  } finally {
    await bot.close();
  }
}
