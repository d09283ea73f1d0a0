// Slack answering 429 (rate limited) and then 5xx for minutes, through the real Bolt app and the
// real Slack adapter (nock stands in for Slack): the outbox keeps the cards, tries again no sooner
// than Slack asks and then further apart, and posts each card exactly once when Slack is back.
import Database from 'better-sqlite3';
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/scheduler/deliver-outbox.ts';
import { sqliteFileName } from '../../src/store/database.ts';
import { CHANNEL, postForm, slashCommand, startSlackBot, users, type SlackBot } from '../support/slack.ts';
import { tempDir } from '../support/temp.ts';

const T0 = new Date('2026-11-20T22:10:00Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
/** Rate limited for the first minute (Retry-After: 30), then down (503 and 502) until minute six. */
const RATE_LIMITED_UNTIL = T0.getTime() + MINUTE;
const DOWN_UNTIL = T0.getTime() + 6 * MINUTE;

let bot: SlackBot;
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(async () => {
  await bot?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

/** A Slack that fails chat.* calls by the bot's clock, and records every attempt and every post. */
function outageSlack(now: () => number) {
  const attempts: { at: number; status: number; inThread: boolean }[] = [];
  const posted: Record<string, string>[] = [];
  let ts = 1_700_000_000;
  nock('https://slack.com')
    .persist()
    .post(/\/api\/.+/)
    .reply(function (uri, body) {
      const method = uri.split('/api/')[1]!.split('?')[0]!;
      const fields = Object.fromEntries(new URLSearchParams(String(body)));
      if (!method.startsWith('chat.')) return [200, { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT' }];
      const at = now();
      const status = at < RATE_LIMITED_UNTIL ? 429 : at < DOWN_UNTIL ? (attempts.length % 2 ? 502 : 503) : 200;
      attempts.push({ at, status, inThread: Boolean(fields.thread_ts) });
      if (status === 429) return [429, { ok: false, error: 'ratelimited' }, { 'retry-after': '30' }];
      if (status !== 200) return [status, 'Slack is having trouble'];
      posted.push(fields);
      return [200, { ok: true, channel: fields.channel, ts: `${++ts}.000100` }];
    });
  nock('https://hooks.slack.com').persist().post(/.*/).reply(200, 'ok');
  return { attempts, posted };
}

describe('Slack rate-limiting and then down for minutes', () => {
  it('keeps retrying with backoff, honours Retry-After, and posts each card once when Slack is back', async () => {
    const dir = tempDir('faults-slack-');
    bot = await startSlackBot({ at: T0.toISOString(), env: { DATA_DIR: dir } });
    const slack = outageSlack(() => bot.clock.now().getTime());
    expect((await postForm(bot.url, slashCommand(users.jo, 'AJ'))).status).toBe(200);
    await expect.poll(async () => (await bot.app.store.transaction((tx) => tx.episodes.listActive())).length).toBe(1);

    // Ten minutes go by in five-second ticks.
    for (let at = T0.getTime(); at <= T0.getTime() + 10 * MINUTE; at += 5 * SECOND) {
      bot.clock.set(new Date(at));
      await bot.tick();
    }

    // While rate-limited, no try came sooner than the 30 seconds Slack asked for.
    const limited = slack.attempts.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const [i, a] of slack.attempts.entries())
      if (a.status === 429 && slack.attempts[i + 1])
        expect(slack.attempts[i + 1]!.at - a.at).toBeGreaterThanOrEqual(30 * SECOND);
    // While down, the tries thinned out (2 s, 4 s, 8 s … apart): a handful in five minutes, not one a tick.
    const down = slack.attempts.filter((a) => a.status >= 500);
    expect(down.length).toBeGreaterThan(2);
    expect(down.length).toBeLessThan(12);
    for (let i = 1; i < down.length; i++) expect(down[i]!.at - down[i - 1]!.at).toBeGreaterThanOrEqual(backoffMs(0));
    // Only the root card was tried meanwhile: its thread's cards wait for it, without using up tries.
    expect(slack.attempts.filter((a) => a.at < DOWN_UNTIL && a.inThread)).toEqual([]);

    // Once Slack is back: the root card and both checklists, once each, in order, in one thread.
    expect(slack.posted).toHaveLength(3);
    const [root, ...thread] = slack.posted;
    expect(root).toMatchObject({ channel: CHANNEL, text: expect.stringContaining('AJ — missing from care') });
    expect(root!.thread_ts).toBeUndefined();
    expect(thread.map((p) => p.thread_ts)).toEqual(['1700000001.000100', '1700000001.000100']);
    const db = new Database(path.join(dir, sqliteFileName), { readonly: true });
    const rows = db.prepare('SELECT status, attempts FROM "OutboxMessage" ORDER BY id').all();
    db.close();
    expect(rows).toEqual([
      { status: 'sent', attempts: limited.length + down.length + 1 },
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
    ]);
    // Delivered within one capped backoff of Slack coming back.
    const firstOk = slack.attempts.find((a) => a.status === 200)!;
    expect(firstOk.at - DOWN_UNTIL).toBeLessThanOrEqual(backoffMs(20) + 5 * SECOND);
  }, 60_000);
});
