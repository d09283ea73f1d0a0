import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoChannel, jo, must, openEpisode, recordOf, startTestBot, type TestBot } from '../support/bot.ts';
import { startPostgres, type PostgresCluster } from '../support/postgres.ts';

// Whichever bot is current (a restart replaces it) is closed after each test.
let bot: TestBot | null = null;
afterEach(async () => {
  await bot?.close();
  bot = null;
});

async function restart(): Promise<TestBot> {
  bot = await bot!.restart();
  return bot;
}

async function sentPings(b: TestBot) {
  return b.database.prisma.ping.findMany({ where: { status: 'sent' }, orderBy: { dueAt: 'asc' } });
}

async function pingEntries(b: TestBot, episodeId: string) {
  return (await recordOf(b, episodeId)).filter((e) => e.kind === 'ping');
}

const stage1Items = ['search-building', 'call-child', 'ask-peers', 'check-room', 'confirm-last-seen', 'note-triggers'];

/** Pings that fell due while the bot was down go out once when it is back, and never again. */
function pingsDueWhileDown(start: () => Promise<TestBot>) {
  it('sends each ping that fell due while it was down exactly once after it comes back', async () => {
    bot = await start();
    const opened = await must(bot.engine, {
      type: 'open_episode',
      actor: jo,
      channel: demoChannel,
      child: 'AJ',
      lastSeen: { at: '2026-11-20T22:05:00Z', place: 'front gate' },
    });
    const episodeId = opened.episodeId!;
    await bot.tick();
    // Down from 22:10 to 22:40: stage 1 (+15, 22:25) and report-after (22:05 + 30 = 22:35) both pass.
    bot.clock.set('2026-11-20T22:40:00Z');
    await restart();
    await bot.tick();
    expect((await sentPings(bot)).map((p) => p.rule)).toEqual(['stage-1-open', 'police-not-told']);
    expect((await pingEntries(bot, episodeId)).map((e) => JSON.parse(e.dataJson).rule)).toEqual([
      'stage-1-open',
      'police-not-told',
    ]);
    expect(bot.chat.titles('direct')).toHaveLength(2);

    // Neither another tick nor another restart sends them again.
    await bot.tick();
    await restart();
    await bot.tick();
    expect(await sentPings(bot)).toHaveLength(2);
    expect(await pingEntries(bot, episodeId)).toHaveLength(2);
  });
}

/** A ping claimed by an instance that died is taken over once the claim's lease runs out, and sent once. */
function crashedClaimTakenOver(start: () => Promise<TestBot>) {
  it('takes over a ping claimed by an instance that crashed, once its lease runs out', async () => {
    bot = await start();
    const episodeId = await openEpisode(bot, 'AJ');
    await bot.tick();
    bot.clock.set('2026-11-20T22:26:00Z');
    // Instance A claims the stage 1 reminder for a minute, then dies before sending it.
    const now = bot.clock.now();
    const claimed = await bot.store.claimDuePings(now, 'instance-a', new Date(now.getTime() + 60_000), 100);
    expect(claimed.map((p) => p.rule)).toEqual(['stage-1-open']);
    const pingId = claimed[0]!.id;

    await restart();
    bot.clock.set('2026-11-20T22:26:30Z');
    await bot.tick('instance-b');
    expect(await sentPings(bot)).toHaveLength(0); // A's lease still holds

    bot.clock.set('2026-11-20T22:27:30Z');
    await bot.tick('instance-b');
    await bot.tick('instance-b');
    const sent = await sentPings(bot);
    expect(sent.map((p) => [p.id, p.claimedBy])).toEqual([[pingId, 'instance-b']]);

    // A wakes up and tries to finish its send: it has lost the ping.
    const late = await bot.store.transaction((tx) => tx.pings.markSent(pingId, 'instance-a', bot!.clock.now()));
    expect(late).toBe(false);
    await bot.engine.sendDuePings('instance-a');
    expect(await pingEntries(bot, episodeId)).toHaveLength(1);
    expect(bot.chat.delivered.filter((d) => d.kind === 'direct').map((d) => d.to)).toEqual(['sam']);
  });
}

describe('pings across a restart (SQLite)', () => {
  const at = '2026-11-20T22:10:00Z';
  pingsDueWhileDown(() => startTestBot({ at }));
  crashedClaimTakenOver(() => startTestBot({ at }));

  it('sends a repeating reminder once, not never, after missing several repeats while down', async () => {
    bot = await startTestBot({ at });
    const episodeId = await openEpisode(bot, 'AJ');
    for (const itemId of stage1Items) await must(bot.engine, { type: 'tick_item', actor: jo, episodeId, itemId });
    await bot.tick();
    // Down from 22:10 to 00:30: "police not told" (due 22:40, every 15 min) has missed 7 repeats
    // and "try to reach the child" (due 23:10, hourly) one.
    bot.clock.set('2026-11-21T00:30:00Z');
    await restart();
    // The first tick retires the missed occurrences; the current ones go out on the next.
    await bot.tick();
    await bot.tick();
    const rules = (await sentPings(bot)).map((p) => p.rule).sort();
    expect(rules).toEqual(['contact-attempt-due', 'police-not-told']);
    expect(await pingEntries(bot, episodeId)).toHaveLength(2);

    // And they carry on repeating from now, once per repeat.
    bot.clock.set('2026-11-21T00:41:00Z');
    await bot.tick();
    await bot.tick();
    expect((await sentPings(bot)).map((p) => p.rule).sort()).toEqual([
      'contact-attempt-due',
      'police-not-told',
      'police-not-told',
    ]);
  });
});

describe('pings across a restart (PostgreSQL)', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());

  let databases = 0;
  // Each test gets its own empty database in the one cluster.
  const start = async () =>
    startTestBot({ at: '2026-11-20T22:10:00Z', databaseUrl: await cluster.createDatabase(`restart_${++databases}`) });
  pingsDueWhileDown(start);
  crashedClaimTakenOver(start);
});
