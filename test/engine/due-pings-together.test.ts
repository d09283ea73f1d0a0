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

/** AJ returned with the police told, Ofsted's decision taken, and every follow-up reminder due. */
async function returnedWithRemindersDue() {
  bot = await startTestBot({ at: T0.toISOString(), homesYaml: quietHouse });
  const { episodeId } = await openWithThread(bot, 'AJ');
  await must(bot.engine, { type: 'record_police_report', actor: jo, episodeId, reference: 'REF-1', grade: 'medium' });
  await must(bot.engine, {
    type: 'record_return',
    actor: jo,
    episodeId,
    at: T0.toISOString(),
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
`;
