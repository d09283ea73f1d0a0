import fs from 'node:fs';
import Database from 'better-sqlite3';
import { sqltag as sql } from '@prisma/client/runtime/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { demoHomesFile } from '../../src/config/env.ts';
import { parseHomes } from '../../src/config/homes.ts';
import { verifyChain } from '../../src/domain/record.ts';
import { protocols } from '../../src/protocol/protocols.ts';
import { prepareOnce } from '../../src/store/sqlite-statements.ts';
import { staffDirectory } from '../../src/store/staff-directory.ts';
import { syncHomes } from '../../src/store/sync-homes.ts';
import { jo, must, openWithThread, recordOf, startTestBot, type TestBot } from '../support/bot.ts';

// The record path is the bot's busiest: a thread message is written in a fixed, small number of
// statements whatever the record already holds, each prepared once, and who wrote it comes from a
// kept directory that a home sync empties at once. Counted, not timed (the benchmark times it).

let bot: TestBot;
let thread: { episodeId: string; threadRef: string };
let n = 0;
const say = (text: string, extra: Record<string, unknown> = {}) =>
  bot.engine.execute({
    type: 'record_message',
    eventId: `Ev-path-${++n}`,
    actor: jo,
    thread: { platform: 'web', threadRef: thread.threadRef },
    messageId: `m-path-${n}`,
    text,
    ...extra,
  });

beforeAll(async () => {
  bot = await startTestBot();
  thread = await openWithThread(bot, 'AJ');
});
afterAll(() => bot.close());

/** Statements sent, and statements newly prepared, while `work` runs. */
async function costOf(work: () => Promise<unknown>) {
  const sent = bot.database.statements!();
  const prepared = bot.database.prepared!();
  await work();
  return { sent: bot.database.statements!() - sent, prepared: bot.database.prepared!() - prepared };
}

describe('the record path', () => {
  it('writes a thread message in four statements however long the record, each prepared once', async () => {
    await say('First look round the garden.');
    const early = await costOf(() => say('Checked the bus stop on Mill Lane.'));
    for (let i = 0; i < 150; i++) expect(await say(`Still looking, round ${i}.`)).toMatchObject({ ok: true });
    const late = await costOf(() => say('Rang the friend in Leigh, no answer.'));
    // The event's insert-or-ignore, the one read of thread, chain head and first entry, the insert, COMMIT.
    expect(early.sent).toBe(4);
    expect(late).toEqual({ sent: 4, prepared: 0 });
    const record = await recordOf(bot, thread.episodeId);
    expect(verifyChain(record)).toMatchObject({ ok: true });
    expect(record.at(-1)).toMatchObject({ kind: 'message', authorStaffId: 'jo', authorRole: 'support_worker' });
  });

  it('records a message delivered again under another event id once, and chains every part of a long one', async () => {
    const first = await say('Police have been told.', { messageId: 'm-again' });
    const again = await say('Police have been told.', { messageId: 'm-again' });
    expect(first).toMatchObject({ ok: true });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    const long = 'A long account of the search, street by street. '.repeat(1_800); // over one entry's 40,000
    expect(await say(long)).toMatchObject({ ok: true });
    const record = await recordOf(bot, thread.episodeId);
    expect(record.filter((e) => e.platformMessageId === 'm-again')).toHaveLength(1);
    const parts = record.filter((e) => e.platformMessageId === `m-path-${n}`);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((e) => e.seq)).toEqual(parts.map((_, i) => parts[0]!.seq + i));
    expect(verifyChain(record)).toMatchObject({ ok: true });
  });

  it('refuses a message in a thread it does not know, and writes nothing', async () => {
    const before = (await recordOf(bot, thread.episodeId)).length;
    const result = await bot.engine.execute({
      type: 'record_message',
      eventId: 'Ev-nowhere',
      actor: jo,
      thread: { platform: 'web', threadRef: 'oak-house/not-a-thread' },
      messageId: 'm-nowhere',
      text: 'Hello?',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_episode' } });
    expect(await recordOf(bot, thread.episodeId)).toHaveLength(before);
  });

  it('sees a home sync that removes a person at the next message', async () => {
    await must(bot.engine, {
      type: 'record_message',
      eventId: 'Ev-before-sync',
      actor: jo,
      thread: { platform: 'web', threadRef: thread.threadRef },
      messageId: 'm-before-sync',
      text: 'Going off shift now.',
    });
    const file = parse(fs.readFileSync(demoHomesFile, 'utf8')) as { homes: { staff: { id: string }[] }[] };
    for (const home of file.homes) home.staff = home.staff.filter((s) => s.id !== 'jo');
    await syncHomes(bot.database, parseHomes(stringify(file), 'homes.yaml', protocols));
    await must(bot.engine, {
      type: 'record_message',
      eventId: 'Ev-after-sync',
      actor: { ...jo, displayName: 'Jo R' },
      thread: { platform: 'web', threadRef: thread.threadRef },
      messageId: 'm-after-sync',
      text: 'Back in to help.',
    });
    const record = await recordOf(bot, thread.episodeId);
    const byMessage = (id: string) => record.find((e) => e.platformMessageId === id);
    expect(byMessage('m-before-sync')).toMatchObject({ authorStaffId: 'jo', authorRole: 'support_worker' });
    expect(byMessage('m-after-sync')).toMatchObject({ authorStaffId: null, authorRole: 'unknown' });
  });
});

describe('the staff directory', () => {
  const sam = { id: 'sam', homeId: 'oak-house', displayName: 'Sam', role: 'manager' as const, active: true };

  it('keeps answers, strangers too, for as long as it may, and forgets them all at a sync', async () => {
    let now = 0;
    let syncs = 0;
    let loads = 0;
    const directory = staffDirectory({ syncs: () => syncs, maxAgeMs: 1_000, now: () => now });
    const find = (user: string) => directory.find('web', user, async () => (loads++, user === 'sam' ? sam : null));
    expect(await find('sam')).toEqual(sam);
    expect(await find('stranger')).toBeNull();
    now = 1_000;
    expect([await find('sam'), await find('stranger'), loads]).toEqual([sam, null, 2]);
    now = 1_001; // the first answers are too old now: another instance may have synced
    await find('sam');
    expect(loads).toBe(3);
    syncs += 1;
    await find('sam');
    await find('stranger');
    expect(loads).toBe(5);
  });

  it('does not keep an answer read while a sync ran', async () => {
    let syncs = 0;
    let loads = 0;
    const directory = staffDirectory({ syncs: () => syncs });
    await directory.find('web', 'sam', async () => {
      loads++;
      syncs += 1; // a sync began while this was read
      return sam;
    });
    await directory.find('web', 'sam', async () => (loads++, sam));
    await directory.find('web', 'sam', async () => (loads++, sam));
    expect(loads).toBe(2);
  });
});

describe('statements prepared once', () => {
  it('binds new values to a kept statement each time, and keeps no more than it may', () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
      let prepared = 0;
      prepareOnce(db, () => (prepared += 1), 2);
      // As Prisma's adapter uses it: prepare(sql).bind(values), then run() or raw().all().
      const insert = (k: number, v: string) => db.prepare('INSERT INTO t VALUES (?, ?)').bind([k, v]).run();
      const read = (k: number) => db.prepare('SELECT v FROM t WHERE k = ?').bind([k]).raw().all();
      for (let k = 1; k <= 5; k++) insert(k, `v${k}`);
      expect([read(1), read(4), read(9)]).toEqual([[['v1']], [['v4']], []]);
      expect(prepared).toBe(2);
      db.prepare('SELECT count(*) FROM t').bind([]).raw().all(); // a third: the oldest (insert) is let go
      insert(6, 'v6');
      expect(prepared).toBe(4);
      expect(read(6)).toEqual([['v6']]);
    } finally {
      db.close();
    }
  });
});

describe('the connection used directly', () => {
  it('refuses work that is not synchronous, and writes nothing of it', async () => {
    const own = await startTestBot();
    try {
      const { episodeId } = await openWithThread(own, 'AJ');
      const direct = own.database.direct!;
      const before = (await recordOf(own, episodeId)).length;
      const early = own.database.prisma.processedEvent.count();
      await expect(
        direct(async (db) => {
          await Promise.resolve();
          db.run(sql`INSERT INTO "ProcessedEvent" ("id", "receivedAt") VALUES (${'Ev-late'}, ${new Date()})`);
        }),
      ).rejects.toThrow(/must be synchronous/);
      // A statement run before the check is rolled back with the transaction.
      await expect(
        direct((db) => {
          db.run(sql`INSERT INTO "ProcessedEvent" ("id", "receivedAt") VALUES (${'Ev-early'}, ${new Date()})`);
          return Promise.resolve();
        }),
      ).rejects.toThrow(/must be synchronous/);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await own.database.prisma.processedEvent.count()).toBe(await early);
      expect(await recordOf(own, episodeId)).toHaveLength(before);
    } finally {
      await own.close();
    }
  });
});
