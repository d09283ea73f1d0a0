// The database locked by another process, or unreachable, for a while: each command gets a clear
// "recording delayed" answer straight away, is kept on disk (it survives a restart), and is
// applied, in the order the commands came and at the times they came, once the database is back.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/record.ts';
import { describeError } from '../../src/messages/texts.ts';
import { sqliteFileName } from '../../src/store/database.ts';
import { heldCommandsFileName } from '../../src/store/held-commands-file.ts';
import { fakeSlack } from '../fakes/slack-web-api.ts';
import {
  buttonPress,
  buttonsIn,
  postEvent,
  postForm,
  slashCommand,
  startSlackBot,
  users,
  type SlackBot,
} from '../support/slack.ts';
import { demoChannel, jo, must, openWithThread, recordOf, startTestBot, type TestBot } from '../support/bot.ts';
import { startPostgres, type PostgresCluster } from '../support/postgres.ts';
import { cuttableProxy } from '../support/proxy.ts';
import { tempDir } from '../support/temp.ts';

describe('SQLite locked by another process', () => {
  let slack: ReturnType<typeof fakeSlack>;
  let bot: SlackBot | null = null;
  let locker: Database.Database | null = null;
  let dir: string;
  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    slack = fakeSlack();
    dir = tempDir('faults-db-');
  });
  afterEach(async () => {
    locker?.close();
    locker = null;
    await bot?.close();
    bot = null;
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const start = (at?: string) => startSlackBot({ env: { DATA_DIR: dir }, ...(at ? { at } : {}) });
  const record = (id: string) => bot!.app.store.transaction((tx) => tx.record.list(id));
  const heldLines = () => {
    const file = path.join(dir, heldCommandsFileName);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  };

  it('answers "recording delayed", keeps every command through a restart, and records them in order once the lock goes', async () => {
    bot = await start();
    await postForm(bot.url, slashCommand(users.jo, 'AJ'));
    await expect.poll(() => slack.responses.length).toBe(1);
    await bot.tick();
    const [episode] = await bot.app.store.transaction((tx) => tx.episodes.listActive());
    const rootTs = String(slack.of('chat.postMessage')[0]!.body.ts ?? '1700000001.000100');
    const stage1 = slack.of('chat.postMessage')[1]!;
    const before = await record(episode!.id);

    // Another process takes the write lock (a backup, a second bot on the same file) and keeps it.
    locker = new Database(path.join(dir, sqliteFileName));
    locker.exec('BEGIN IMMEDIATE');

    // A thread message, a /missing from someone else, and a button press, one after another.
    const message = {
      type: 'message',
      channel: 'C0OAK',
      user: users.priya,
      text: 'Checked the park by the river, no sign',
      ts: '1700000100.000100',
      thread_ts: rootTs,
    };
    expect((await postEvent(bot.url, message, 'Ev-locked-1')).status).toBe(200);
    await expect.poll(heldLines, { timeout: 10_000 }).toBe(1);
    bot.clock.advanceMinutes(1);
    expect((await postForm(bot.url, slashCommand(users.priya, 'AJ'))).status).toBe(200);
    await expect.poll(() => slack.responses.length, { timeout: 10_000 }).toBe(2);
    const done = buttonsIn(stage1.body.blocks).find((b) => b.text === 'Done')!;
    bot.clock.advanceMinutes(1);
    expect(
      (await postForm(bot.url, buttonPress(users.jo, done.action_id, done.value, '1700000002.000100', rootTs))).status,
    ).toBe(200);
    await expect.poll(() => slack.responses.length, { timeout: 10_000 }).toBe(3);

    // Each person who typed a command is told, kindly and clearly, that it is delayed, not lost.
    for (const response of slack.responses.slice(1)) {
      expect(response.body.text).toContain('Recording is delayed');
      expect(response.body.text).toContain('no need to send it again');
    }
    expect(describeError({ code: 'recording_delayed' })).toMatch(/kept safe/);
    expect(heldLines()).toBe(3);
    expect(await record(episode!.id)).toEqual(before); // readers still see the record meanwhile
    // /healthz says so: readable, but nothing can be written (503), rather than "ok".
    const health = await fetch(bot.url.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unhealthy', database: 'writes failing' });

    // The lock goes, and the bot restarts before its next tick: what it was holding is still there.
    locker.exec('ROLLBACK');
    locker.close();
    locker = null;
    await bot.close();
    bot = await start('2026-11-20T22:20:00Z');
    expect(heldLines()).toBe(3);
    expect(await record(episode!.id)).toEqual(before);

    // On its first tick everything held is recorded, in order, at the times it came.
    await bot.tick();
    const after = await record(episode!.id);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((e) => [e.kind, e.authorName, e.at.toISOString()])).toEqual([
      ['message', 'Priya Shah', '2026-11-20T22:10:00.000Z'],
      ['episode_joined', 'Priya Shah', '2026-11-20T22:11:00.000Z'],
      ['item_done', 'Jo Reid', '2026-11-20T22:12:00.000Z'],
    ]);
    expect(after.find((e) => e.kind === 'message')?.text).toBe('Checked the park by the river, no sign');
    expect(verifyChain(after)).toEqual({ ok: true, entries: after.length });
    expect(heldLines()).toBe(0);

    // Slack re-sends the thread message event: still recorded once.
    await postEvent(bot.url, message, 'Ev-locked-1');
    await bot.tick();
    expect((await record(episode!.id)).filter((e) => e.kind === 'message')).toHaveLength(1);
  }, 60_000);
});

describe('PostgreSQL unreachable', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());

  let bot: TestBot | null = null;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>> | null = null;
  afterEach(async () => {
    await proxy?.restore().catch(() => undefined);
    await bot?.close();
    await proxy?.close();
    bot = null;
    proxy = null;
  });

  it('answers "recording delayed" at once while it is down, and records everything once it is back', async () => {
    const url = new URL(await cluster.createDatabase('faults_unreachable'));
    proxy = await cuttableProxy(url);
    bot = await startTestBot({ at: '2026-11-20T22:10:00Z', databaseUrl: proxy.url(url) });
    const { episodeId, threadRef } = await openWithThread(bot, 'AJ');
    const before = await recordOf(bot, episodeId);

    await proxy.cut();
    const started = performance.now();
    const tick = { type: 'tick_item', actor: jo, episodeId, itemId: 'check-room' };
    const message = {
      type: 'record_message',
      eventId: 'Ev-down-1',
      actor: jo,
      thread: { platform: 'web', threadRef },
      messageId: 'msg-down-1',
      text: 'Rang her friend’s mum, no answer',
    };
    expect(await bot.engine.execute(tick)).toEqual({ ok: false, error: { code: 'recording_delayed' } });
    bot.clock.advanceMinutes(1);
    expect(await bot.engine.execute(message)).toEqual({ ok: false, error: { code: 'recording_delayed' } });
    // Opening another child's episode while it is down is kept too.
    expect(await bot.engine.execute({ type: 'open_episode', actor: jo, channel: demoChannel, child: 'BT' })).toEqual({
      ok: false,
      error: { code: 'recording_delayed' },
    });
    expect(performance.now() - started).toBeLessThan(20_000);
    // A tick while it is still down changes nothing and loses nothing.
    bot.clock.advanceMinutes(1);
    await bot.tick().catch(() => undefined);

    await proxy.restore();
    bot.clock.advanceMinutes(1);
    await bot.tick();
    const after = await recordOf(bot, episodeId);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((e) => [e.kind, e.at.toISOString()])).toEqual([
      ['item_done', '2026-11-20T22:10:00.000Z'],
      ['message', '2026-11-20T22:11:00.000Z'],
    ]);
    expect(verifyChain(after).ok).toBe(true);
    const bt = await bot.database.prisma.episode.findFirstOrThrow({ where: { child: { alias: 'BT' } } });
    expect(bt.openedAt.toISOString()).toBe('2026-11-20T22:11:00.000Z');
    // Afterwards commands run as usual.
    await must(bot.engine, { type: 'tick_item', actor: jo, episodeId, itemId: 'ask-peers' });
  }, 60_000);
});
