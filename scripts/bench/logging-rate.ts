// Thread-message logging rate: messages recorded through the engine (event dedupe, the thread's
// episode, the author, the hash chain, one transaction each) against raw inserts of the same rows
// into the same table of the same database. In between, the chain alone: appendEntry in a
// transaction, which is what the tamper-evident record itself costs.
import { verifyChain } from '../../src/domain/record.ts';
import { appendEntry } from '../../src/engine/record/append-entry.ts';
import { sqliteFloor } from './sqlite-floor.ts';
import { openBenchBot, openWithThread, since, webJo } from './support.ts';

export interface LoggingResult {
  database: string;
  messages: number;
  /** Messages a second through engine.execute(record_message). */
  engine: number;
  /** Entries a second through appendEntry in a transaction. */
  chain: number;
  /** Rows a second through a plain insert. */
  raw: number;
  /** SQLite only: chained entries a second through better-sqlite3 itself, statements prepared once (the physical floor). */
  floor: number | null;
  chainsVerify: boolean;
}

const text = (n: number) =>
  `Checked the park by the river and the bus stop on Mill Lane, no sign. The shop owner has not seen her since Tuesday. (${n})`;

/** Runs `rounds` rounds of `perRound` messages of each kind, alternating, so load on the machine falls on all alike. */
export async function measureLogging(
  database: string,
  databaseUrl: string | undefined,
  { rounds = 4, perRound = 250 } = {},
): Promise<LoggingResult> {
  const bot = await openBenchBot({
    children: 3,
    at: new Date('2026-11-20T22:10:00Z'),
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  try {
    const viaEngine = await openWithThread(bot, 'C00001');
    const viaChain = await openWithThread(bot, 'C00002');
    const viaRaw = await openWithThread(bot, 'C00003');
    const author = { staffId: 'jo', name: 'Jo Reid', role: 'support_worker' as const };
    let rawSeq = (await bot.store.transaction((tx) => tx.record.last(viaRaw.episodeId)))?.seq ?? 0;
    const ms = { engine: 0, chain: 0, raw: 0, floor: 0 };
    const floor = databaseUrl ? null : sqliteFloor();
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      let start = performance.now();
      for (let i = 0; i < perRound; i++) {
        const result = await bot.engine.execute({
          type: 'record_message',
          eventId: `Ev-bench-${++n}`,
          actor: webJo,
          thread: { platform: 'web', threadRef: viaEngine.threadRef },
          messageId: `m-${n}`,
          text: text(n),
        });
        if (!result.ok) throw new Error(`record_message refused: ${result.error.code}`);
      }
      ms.engine += since(start);

      start = performance.now();
      for (let i = 0; i < perRound; i++) {
        const at = bot.clock.now();
        await bot.store.transaction((tx) =>
          appendEntry(tx, viaChain.episodeId, author, at, {
            kind: 'message',
            text: text(++n),
            data: { files: [] },
            platform: 'web',
            platformMessageId: `m-${n}`,
          }),
        );
      }
      ms.chain += since(start);

      start = performance.now();
      for (let i = 0; i < perRound; i++) {
        await bot.database.prisma.logEntry.create({
          data: {
            episodeId: viaRaw.episodeId,
            seq: ++rawSeq,
            at: bot.clock.now(),
            authorStaffId: author.staffId,
            authorName: author.name,
            authorRole: author.role,
            kind: 'message',
            text: text(++n),
            dataJson: '{"files":[]}',
            platform: 'web',
            platformMessageId: `m-${n}`,
            amendsEntryId: null,
            prevHash: '0'.repeat(64),
            hash: '0'.repeat(64),
          },
          select: { id: true },
        });
      }
      ms.raw += since(start);

      if (floor) {
        start = performance.now();
        for (let i = 0; i < perRound; i++) floor.append('floor-episode', text(++n), `m-${n}`);
        ms.floor += since(start);
      }
    }
    const messages = rounds * perRound;
    const chains = await bot.store.transaction(async (tx) => [
      verifyChain(await tx.record.list(viaEngine.episodeId)),
      verifyChain(await tx.record.list(viaChain.episodeId)),
    ]);
    const floorVerifies = !floor || floor.verifies('floor-episode');
    floor?.close();
    return {
      database,
      messages,
      engine: (messages / ms.engine) * 1000,
      chain: (messages / ms.chain) * 1000,
      raw: (messages / ms.raw) * 1000,
      floor: floor ? (messages / ms.floor) * 1000 : null,
      chainsVerify: chains.every((c) => c.ok) && floorVerifies,
    };
  } finally {
    await bot.close();
  }
}
