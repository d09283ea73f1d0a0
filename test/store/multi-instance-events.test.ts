// Inbound event de-duplication across two bot instances on one PostgreSQL database: the same
// platform event (a retry that reached both) executed on both at once is processed once. It rests
// on the primary key of ProcessedEvent plus the store's transaction retry (src/store/tx.ts).
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.ts';
import { FakeClock } from '../fakes/clock.ts';
import { aliasOf, homeChannel, instancesOnPostgres, seedHome, worker, type Instance } from '../support/instances.ts';

const T0 = new Date('2026-11-20T22:10:00Z');

const instances = instancesOnPostgres();

/**
 * Holds each instance's events.markProcessed until both instances have reached it for the same
 * event id, so the two transactions really race on it, and notes how each call ended.
 */
function raceOnEvents(calls: { id: string; outcome: string }[]) {
  const waiting = new Map<string, { arrived: number; release: () => void; met: Promise<void> }>();
  const meet = (id: string) => {
    let gate = waiting.get(id);
    if (!gate) {
      let release = () => {};
      const met = new Promise<void>((resolve) => (release = resolve));
      gate = { arrived: 0, release, met };
      waiting.set(id, gate);
    }
    if (++gate.arrived >= 2) gate.release();
    // Never wait forever if the other instance does not come (the assertions will say why).
    return Promise.race([gate.met, new Promise((r) => setTimeout(r, 5_000).unref())]);
  };
  return (store: Store): Store => ({
    ...store,
    transaction: (fn) =>
      store.transaction((tx) =>
        fn({
          ...tx,
          events: {
            markProcessed: async (id, at) => {
              await meet(id);
              try {
                const first = await tx.events.markProcessed(id, at);
                calls.push({ id, outcome: first ? 'first' : 'seen' });
                return first;
              } catch (error) {
                const e = error as { code?: string; cause?: { code?: string } };
                calls.push({ id, outcome: `error ${e.code ?? e.cause?.code ?? String(error)}` });
                throw error;
              }
            },
          },
        }),
      ),
  });
}

describe('inbound events across two instances', () => {
  it('processes an event delivered to both instances at once exactly once', async () => {
    const clock = new FakeClock(T0);
    const calls: { id: string; outcome: string }[] = [];
    const race = raceOnEvents(calls);
    const [a, b] = (await instances(clock, race, race)) as [Instance, Instance];
    await seedHome(a, 10);
    const episodes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const opened = await a.engine.execute({
        type: 'open_episode',
        actor: worker,
        channel: homeChannel,
        child: aliasOf(i),
      });
      expect(opened).toMatchObject({ ok: true });
      if (opened.ok) episodes.push(opened.episodeId!);
    }

    // Each event (a platform retry that reached both instances) is executed on both at once.
    for (const [i, episodeId] of episodes.entries()) {
      const command = {
        type: 'record_contact_attempt',
        actor: worker,
        eventId: `Ev${i}`,
        episodeId,
        method: 'phone',
        outcome: 'no answer',
      };
      const results = await Promise.all([a.engine.execute(command), b.engine.execute(command)]);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results.map((r) => (r.ok && r.duplicate) === true).sort()).toEqual([false, true]);
    }

    const prisma = a.database.prisma;
    expect(await prisma.processedEvent.count({ where: { id: { startsWith: 'web:Ev' } } })).toBe(10);
    for (const episodeId of episodes) {
      expect(await prisma.contactAttempt.count({ where: { episodeId } })).toBe(1);
      expect(await prisma.logEntry.count({ where: { episodeId, kind: 'contact_attempt' } })).toBe(1);
    }
    // How it held: per event one instance inserted the id first; the other's insert-or-ignore
    // waited for that transaction to commit, then inserted nothing and stood down. Neither failed.
    for (let i = 0; i < 10; i++) {
      const outcomes = calls.filter((c) => c.id === `web:Ev${i}`).map((c) => c.outcome);
      expect(outcomes.sort()).toEqual(['first', 'seen']);
    }
    console.info(`multi-instance events: ${JSON.stringify(calls.map((c) => c.outcome))}`);
  }, 60_000);
});
