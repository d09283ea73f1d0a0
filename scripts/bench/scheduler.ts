// Scheduler: 10,000 due pings dispatched by two bot instances — two processes, each with its own
// engine, pool and event loop — on one PostgreSQL, as the quality bar asks, with duplicates and
// misses counted from the database afterwards. Seeding reuses the
// multi-instance tests' helpers: a few returned episodes through the engine, copied to the rest
// (each returned episode holds six one-off pings, all due 67 hours after the return).
import { FakeClock } from '../../test/fakes/clock.ts';
import { cloneEpisode } from '../../test/support/clone-episodes.ts';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openInstance, seedHome, seedReturnedEpisodes } from '../../test/support/instances.ts';
import { since } from './support.ts';
import { startNodeOptions } from '../start-options.ts';

export interface SchedulerResult {
  due: number;
  seconds: number;
  sent: number;
  /** Pings with more than one record entry (each extra entry counted). */
  duplicates: number;
  /** Due pings not sent when both instances had run dry. */
  misses: number;
  byInstance: Record<string, number>;
}

const T0 = new Date('2026-11-20T22:10:00Z');
const AFTER_67H = new Date(T0.getTime() + 67 * 3_600_000);

interface InstanceRun {
  sent: number;
  lost: number;
  failed: number;
}

/** A bot instance in a process of its own, ready to drain the due pings when told to go. */
async function startInstance(url: string, id: string, now: Date): Promise<{ go(): Promise<InstanceRun> }> {
  const file = fileURLToPath(new URL('./ping-instance.ts', import.meta.url));
  const child = fork(file, [url, id, now.toISOString()], {
    execArgv: [...startNodeOptions()],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`ping instance ${id} exited (${code}) before it was ready`)));
  });
  return {
    go: () =>
      new Promise<InstanceRun>((resolve, reject) => {
        child.once('message', (m) => resolve(m as InstanceRun));
        child.once('exit', (code) => code !== 0 && reject(new Error(`ping instance ${id} exited (${code})`)));
        child.send({ go: true });
      }),
  };
}

export async function measureScheduler(url: string, pings = 10_000): Promise<SchedulerResult> {
  const clock = new FakeClock(T0);
  const a = await openInstance(url, 'instance-a', clock);
  const b = await openInstance(url, 'instance-b', clock);
  try {
    const episodes = Math.ceil(pings / 6);
    const viaEngine = Math.min(episodes, 8);
    await seedHome(a, viaEngine);
    const made = await seedReturnedEpisodes([a, b], clock, viaEngine);
    await cloneEpisode(a.database.prisma, made[0]!, episodes - viaEngine);
    clock.set(AFTER_67H);
    const prisma = a.database.prisma;
    const due = await prisma.ping.findMany({
      where: { status: 'pending', dueAt: { lte: clock.now() } },
      select: { id: true },
    });

    const [procA, procB] = await Promise.all(
      ['instance-a', 'instance-b'].map((id) => startInstance(url, id, clock.now())),
    );
    const start = performance.now();
    const [runA, runB] = await Promise.all([procA!.go(), procB!.go()]);
    const seconds = since(start) / 1000;

    const entries = await prisma.logEntry.findMany({ where: { kind: 'ping' }, select: { dataJson: true } });
    const perPing = new Map<string, number>();
    for (const e of entries) {
      const id = (JSON.parse(e.dataJson) as { pingId?: string }).pingId ?? '';
      perPing.set(id, (perPing.get(id) ?? 0) + 1);
    }
    const duplicates = [...perPing.values()].reduce((n, count) => n + Math.max(0, count - 1), 0);
    const sentIds = new Set(
      (await prisma.ping.findMany({ where: { status: 'sent' }, select: { id: true } })).map((p) => p.id),
    );
    const misses = due.filter((p) => !sentIds.has(p.id) || !perPing.has(p.id)).length;
    return {
      due: due.length,
      seconds,
      sent: runA.sent + runB.sent,
      duplicates,
      misses,
      byInstance: { [a.id]: runA.sent, [b.id]: runB.sent },
    };
  } finally {
    await a.store.close();
    await b.store.close();
  }
}
