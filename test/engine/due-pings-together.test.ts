import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import { sendDuePings } from '../../src/engine/schedule/send-due-pings.ts';
import type { Store } from '../../src/ports/store.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { jo, must, openWithThread, recordOf, startTestBot, type TestBot } from '../support/bot.ts';

// Reminders of one episode that fall due together (after a return, several follow-ups at once)
// are sent in one transaction: each keeps its record entry and its thread message, the episode is
// read once and its card brought up to date once. Should that transaction fail, each goes alone.

const T0 = new Date('2026-11-20T22:10:00Z');
let bot: TestBot;
afterEach(() => bot.close());

/** A store that counts transactions, and can be told to fail the first `failFirst` of them. */
function counting(store: Store, failFirst = 0) {
  const counted = { transactions: 0 };
  const wrapped: Store = {
    ...store,
    transaction: (fn) => {
      counted.transactions += 1;
      if (counted.transactions <= failFirst) return Promise.reject(new Error('the database hiccuped'));
      return store.transaction(fn);
    },
  };
  return { store: wrapped, counted };
}

/** The child missing and back at `at`, with the police told and Ofsted's decision taken. */
async function returned(child: string, at: Date) {
  bot.clock.set(at);
  const { episodeId } = await openWithThread(bot, child);
  await must(bot.engine, { type: 'record_police_report', actor: jo, episodeId, reference: 'REF-1', grade: 'medium' });
  await must(bot.engine, {
    type: 'record_return',
    actor: jo,
    episodeId,
    at: at.toISOString(),
    how: 'Walked in',
    whereFound: 'The home',
    condition: 'Well',
  });
  await must(bot.engine, {
    type: 'record_notification',
    actor: jo,
    episodeId,
    party: 'ofsted',
    decision: 'not_required',
    reason: 'Not a serious event',
  });
  await bot.tick();
  return episodeId;
}

/** AJ returned with the police told, Ofsted's decision taken, and every follow-up reminder due. */
async function returnedWithRemindersDue() {
  bot = await startTestBot({ at: T0.toISOString(), homesYaml: quietHouse });
  const episodeId = await returned('AJ', T0);
  bot.clock.set(new Date(T0.getTime() + 67 * 3_600_000));
  const due = await bot.database.prisma.ping.findMany({
    where: { episodeId, status: 'pending', dueAt: { lte: bot.clock.now() } },
  });
  expect(due.length).toBeGreaterThanOrEqual(4);
  // Besides the episode's, the child's risk-assessment review (not an episode's) is due too.
  const others = await bot.database.prisma.ping.count({
    where: {
      status: 'pending',
      dueAt: { lte: bot.clock.now() },
      OR: [{ episodeId: null }, { episodeId: { not: episodeId } }],
    },
  });
  return { episodeId, due: due.map((p) => p.id), others };
}

describe('reminders of one episode due together', () => {
  it('go in one transaction, each with its entry and thread message, once', async () => {
    const { episodeId, due, others } = await returnedWithRemindersDue();
    const { store, counted } = counting(bot.store);
    const run = await sendDuePings({ store, clock: bot.clock, protocols }, 'test-instance');
    expect(run).toMatchObject({ sent: due.length + others, lost: 0, failed: [] });
    // One for the episode's reminders, one for each other reminder.
    expect(counted.transactions).toBe(1 + others);
    const record = await recordOf(bot, episodeId);
    const pings = record.filter((e) => e.kind === 'ping');
    expect(new Set(pings.map((e) => JSON.parse(e.dataJson).pingId))).toEqual(new Set(due));
    expect(verifyChain(record)).toMatchObject({ ok: true });
    const before = bot.chat.delivered.length;
    await bot.tick();
    const reminders = bot.chat.delivered.slice(before).filter((d) => d.kind === 'thread');
    expect(reminders.length).toBe(due.length);
    // Nothing is sent twice at the next tick.
    expect(await sendDuePings({ store, clock: bot.clock, protocols }, 'test-instance')).toMatchObject({ sent: 0 });
  });

  it('go one by one when their transaction together fails, and still once each', async () => {
    const { episodeId, due, others } = await returnedWithRemindersDue();
    const { store, counted } = counting(bot.store, 1);
    const run = await sendDuePings({ store, clock: bot.clock, protocols }, 'test-instance');
    expect(run).toMatchObject({ sent: due.length + others, lost: 0, failed: [] });
    expect(counted.transactions).toBe(1 + due.length + others);
    const pings = (await recordOf(bot, episodeId)).filter((e) => e.kind === 'ping');
    expect(pings).toHaveLength(due.length);
  });
});

describe('a claim of due reminders', () => {
  it("takes the other due reminders of the earliest one's episode with it, though another's fall between", async () => {
    bot = await startTestBot({ at: T0.toISOString(), homesYaml: quietHouse });
    const aj = await returned('AJ', T0);
    const bk = await returned('BK', new Date(T0.getTime() + 3_600_000));
    bot.clock.set(new Date(T0.getTime() + 68 * 3_600_000));
    const now = bot.clock.now();
    const due = await bot.database.prisma.ping.findMany({
      where: { status: 'pending', dueAt: { lte: now } },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    });
    // The earliest is BK's police reminder (AJ's went out before BK went missing); the rest of
    // the two children's reminders interleave, an hour apart.
    const ofBk = due.filter((p) => p.episodeId === bk);
    const ofAj = due.filter((p) => p.episodeId === aj);
    expect(due[0]!.episodeId).toBe(bk);
    expect(ofBk.length).toBeGreaterThanOrEqual(4);
    expect(ofAj.length).toBeGreaterThanOrEqual(4);
    expect(ofAj[0]!.dueAt < ofBk.at(-1)!.dueAt).toBe(true);
    // The children's risk-assessment reviews belong to no episode.
    const ofNone = due.filter((p) => !p.episodeId);

    const lease = new Date(now.getTime() + 60_000);
    const claimed = await bot.store.claimDuePings(now, 'instance-a', lease, 1);
    expect(claimed.map((p) => p.id)).toEqual(ofBk.map((p) => p.id));
    // Claimed means held: another instance, claiming one at a time, gets AJ's reminders together
    // and each reminder of no episode alone, and none of BK's again.
    const claims: string[][] = [];
    for (;;) {
      const claim = await bot.store.claimDuePings(now, 'instance-b', lease, 1);
      if (claim.length === 0) break;
      claims.push(claim.map((p) => p.id));
    }
    expect(claims).toHaveLength(1 + ofNone.length);
    expect(new Set(claims.map((c) => c.join()))).toEqual(
      new Set([ofAj.map((p) => p.id).join(), ...ofNone.map((p) => p.id)]),
    );
  });
});

/** A home with no shift changes and no risk reviews due: the episode's reminders are all there is. */
const quietHouse = `
homes:
  - id: oak-house
    name: Oak House
    timeZone: Europe/London
    shiftChanges: []
    channels: { web: oak-house }
    onCall: [sam]
    staff:
      - { id: sam, name: Sam Okafor, role: manager, web: sam }
      - { id: jo, name: Jo Reid, role: support_worker, web: jo }
    children:
      - { id: child-aj, alias: AJ, name: Demo Child One, dateOfBirth: '2010-05-14' }
      - { id: child-bk, alias: BK, name: Demo Child Two, dateOfBirth: '2011-02-03' }
`;
