// Two bot instances on one PostgreSQL database share the due pings: each is sent exactly once,
// none is missed, and an instance that dies mid-batch has its claims finished by the other once
// their lease runs out.
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import type { Store } from '../../src/ports/store.ts';
import type { PrismaClient } from '../../src/store/generated/sqlite/client.ts';
import { toEntry } from '../../src/store/mappers.ts';
import { FakeClock } from '../fakes/clock.ts';
import { cloneEpisode } from '../support/clone-episodes.ts';
import { drainPings, instancesOnPostgres, seedHome, seedReturnedEpisodes } from '../support/instances.ts';

/** Due pings in the big run (at least): six per returned episode (see seedReturnedEpisodes). */
const PINGS = Number(process.env.MULTI_INSTANCE_PINGS ?? 10_000);
const PER_EPISODE = 6;
const EPISODES = Math.ceil(PINGS / PER_EPISODE);
const T0 = new Date('2026-11-20T22:10:00Z');
/** Past the last of the six (the RHI escalation at +66 h), before anything else falls due. */
const AFTER_66H = new Date(T0.getTime() + 67 * 3_600_000);

const instances = instancesOnPostgres();

const plain = (s: Store) => s;

/** Every ping, its record entries, and whether each episode's chain still verifies. */
async function audit(prisma: PrismaClient) {
  const pings = await prisma.ping.findMany({
    select: { id: true, key: true, rule: true, status: true, claimedBy: true },
  });
  const entries = await prisma.logEntry.findMany({ orderBy: [{ episodeId: 'asc' }, { seq: 'asc' }] });
  const pingEntries = entries.filter((e) => e.kind === 'ping').map((e) => JSON.parse(e.dataJson).pingId as string);
  const chains = new Map<string, typeof entries>();
  for (const e of entries) chains.set(e.episodeId, [...(chains.get(e.episodeId) ?? []), e]);
  const broken = [...chains.values()].map((c) => verifyChain(c.map(toEntry))).filter((c) => !c.ok);
  const byStatus: Record<string, number> = {};
  const sentBy: Record<string, number> = {};
  for (const p of pings) {
    byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    if (p.status === 'sent') sentBy[p.claimedBy ?? 'nobody'] = (sentBy[p.claimedBy ?? 'nobody'] ?? 0) + 1;
  }
  return { pings, pingEntries, broken, byStatus, sentBy };
}

/** The pings due now, and how many were cancelled before (at the return, their reasons gone). */
async function duePings(prisma: PrismaClient, now: Date) {
  const due = await prisma.ping.findMany({ where: { status: 'pending', dueAt: { lte: now } }, select: { id: true } });
  return {
    due: new Set(due.map((p) => p.id)),
    pending: await prisma.ping.count({ where: { status: 'pending' } }),
    cancelled: await prisma.ping.count({ where: { status: 'cancelled' } }),
  };
}

/**
 * Asserts that each due ping was sent once and nothing else happened: every one is marked sent,
 * has exactly one 'ping' entry in its episode's record, no key repeats, no ping was added or
 * cancelled, and every episode's hash chain still verifies.
 */
async function expectEachSentOnce(prisma: PrismaClient, before: Awaited<ReturnType<typeof duePings>>) {
  const a = await audit(prisma);
  // Left pending: only what is not due yet (each episode's 72-hour RHI breach reminder).
  const { pending = 0, ...done } = a.byStatus as Record<string, number>;
  expect(done).toEqual({ sent: before.due.size, cancelled: before.cancelled });
  expect(pending).toBe(a.pings.filter((p) => p.status === 'pending' && p.rule === 'rhi-72h-breach').length);
  expect(new Set(a.pings.filter((p) => p.status === 'sent').map((p) => p.id))).toEqual(before.due);
  expect(new Set(a.pings.map((p) => p.key)).size).toBe(a.pings.length);
  expect(a.pingEntries).toHaveLength(before.due.size);
  expect(new Set(a.pingEntries)).toEqual(before.due);
  expect(a.broken).toEqual([]);
  return a;
}

const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);

describe('two instances on one PostgreSQL', () => {
  it(`send ${EPISODES * PER_EPISODE} due pings between them, each exactly once, none missed`, async () => {
    const clock = new FakeClock(T0);
    const [a, b] = await instances(clock, plain, plain);
    const episodes = EPISODES;
    const expected = episodes * PER_EPISODE;
    let t = performance.now();
    // A few episodes through the engine (on both instances), the rest copied from the first.
    const viaEngine = Math.min(episodes, 8);
    await seedHome(a!, viaEngine);
    const made = await seedReturnedEpisodes([a!, b!], clock, viaEngine);
    await cloneEpisode(a!.database.prisma, made[0]!, episodes - viaEngine);
    const seeded = seconds(t);

    clock.set(AFTER_66H);
    const prisma = a!.database.prisma;
    const before = await duePings(prisma, clock.now());
    expect(before.due.size).toBe(expected);
    // Each episode also holds its 72-hour RHI breach reminder, not yet due.
    expect(before.pending).toBe(expected + episodes);

    t = performance.now();
    const [runA, runB] = await Promise.all([drainPings(a!), drainPings(b!)]);
    const sent = seconds(t);

    expect(runA.failed.concat(runB.failed)).toEqual([]);
    expect(runA.sent + runB.sent).toBe(expected);
    expect(runA.lost + runB.lost + runA.cancelled + runB.cancelled).toBe(0);
    const audited = await expectEachSentOnce(prisma, before);
    // Both did a share of the work, and each ping is marked as sent by the instance that sent it.
    expect(audited.sentBy).toEqual({ 'instance-a': runA.sent, 'instance-b': runB.sent });
    expect(runA.sent).toBeGreaterThan(0);
    expect(runB.sent).toBeGreaterThan(0);
    console.info(
      `multi-instance: ${expected} pings (${episodes} episodes) seeded in ${seeded} s, sent in ${sent} s ` +
        `(A ${runA.sent} in ${runA.batches} batches, B ${runB.sent} in ${runB.batches})`,
    );
  }, 600_000); // exactly-once is what this proves; how fast is npm run bench's job, on a shared machine
});

/**
 * A store that dies after `sends` committed transactions: the next one does all its work and is
 * then cut off before its commit (so it rolls back, as a killed process's would), and every later
 * call fails. Its claims stay in the database with their lease.
 */
function killedAfter(sends: number) {
  let committed = 0;
  let dead = false;
  return (store: Store): Store => ({
    ...store,
    async claimDuePings(...args) {
      if (dead) throw new Error('instance killed');
      return store.claimDuePings(...args);
    },
    async transaction(fn) {
      if (dead) throw new Error('instance killed');
      const result = await store.transaction(async (tx) => {
        const value = await fn(tx);
        if (committed >= sends) {
          dead = true;
          throw new Error('instance killed before its commit');
        }
        return value;
      });
      committed += 1;
      return result;
    },
  });
}

describe('an instance killed mid-batch', () => {
  it('leaves its claims to the other instance, which takes them only after the lease and sends each once', async () => {
    const clock = new FakeClock(T0);
    const [a, b] = await instances(clock, killedAfter(30), plain);
    // Seeded through B only: A's countdown to its death starts with its first send.
    await seedHome(b!, 4);
    const made = await seedReturnedEpisodes([b!], clock, 4);
    await cloneEpisode(b!.database.prisma, made[0]!, 196);
    clock.set(AFTER_66H);
    const prisma = b!.database.prisma;
    const before = await duePings(prisma, clock.now());
    expect(before.due.size).toBe(200 * PER_EPISODE);

    // A claims the 100 earliest due pings with a one-minute lease, and with them the other due
    // pings of their episodes; it commits 30 transactions (an episode's due pings each) and dies
    // before the 31st commits.
    await a!.engine.sendDuePings(a!.id).catch(() => undefined);
    await a!.store.close();
    const claimedByA = await prisma.ping.findMany({
      where: { claimedBy: a!.id },
      select: { id: true, episodeId: true, status: true },
    });
    const episodesOfA = new Set(claimedByA.map((p) => p.episodeId));
    // Whole episodes: every due ping of an episode A claimed from is A's, and not every episode.
    expect(claimedByA).toHaveLength(episodesOfA.size * PER_EPISODE);
    expect(episodesOfA.size).toBeGreaterThan(30);
    expect(episodesOfA.size).toBeLessThan(200);
    const sentByA = claimedByA.filter((p) => p.status === 'sent').length;
    expect(sentByA).toBe(30 * PER_EPISODE);

    // Half a minute on, B sends everything A had not claimed, but none of A's leftovers.
    clock.set(new Date(AFTER_66H.getTime() + 30_000));
    const early = await drainPings(b!);
    expect(early.sent).toBe(before.due.size - claimedByA.length);
    const leftover = await prisma.ping.findMany({ where: { status: 'pending', dueAt: { lte: clock.now() } } });
    expect(leftover).toHaveLength(claimedByA.length - sentByA);
    expect(new Set(leftover.map((p) => p.claimedBy))).toEqual(new Set([a!.id]));
    expect(leftover.every((p) => p.leaseUntil! > clock.now())).toBe(true);
    const lease = new Date(clock.now().getTime() + 60_000);
    expect(await b!.store.claimDuePings(clock.now(), b!.id, lease, 1_000)).toEqual([]);

    // Once A's lease has run out, B takes the leftovers over and sends them, once each.
    clock.set(new Date(AFTER_66H.getTime() + 61_000));
    const late = await drainPings(b!);
    expect(late).toMatchObject({ sent: claimedByA.length - sentByA, lost: 0, cancelled: 0, failed: [] });
    const audited = await expectEachSentOnce(prisma, before);
    expect(audited.sentBy).toEqual({ 'instance-a': sentByA, 'instance-b': before.due.size - sentByA });
  }, 120_000);
});
