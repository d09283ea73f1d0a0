// No child's name, date of birth or message text reaches the process logs, at any level: a whole
// scenario runs through the real app with the production logger (src/logging.ts) at trace level
// writing to a captured stream, with the console captured too, and every line is scanned.
// The scenario takes the paths that log: Slack failing and refusing, forged and malformed
// requests, the database locked, reminders, handovers, and people typing names and dates.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORM_CALLBACK } from '../../adapters/slack/modals.ts';
import { createLogger } from '../../src/logging.ts';
import { sqliteFileName } from '../../src/store/database.ts';
import {
  CHANNEL,
  postEvent,
  postForm,
  sign,
  slackHome,
  slashCommand,
  startSlackBot,
  users,
  type SlackBot,
} from '../support/slack.ts';
import { tempDir } from '../support/temp.ts';

/** What must never appear in a log line. */
const secrets = [
  'Alexandra',
  'Jones',
  'Bartholomew',
  'Tate',
  '2010-05-14',
  '2014-01-09',
  'SECRET', // every message and form text below carries this word
];

const homes = slackHome(
  [
    {
      id: 'child-aj',
      alias: 'AJ',
      name: 'Alexandra Jones',
      dateOfBirth: '2010-05-14',
      plan: { reportAfterMinutes: 30 },
    },
    {
      id: 'child-bt',
      alias: 'BT',
      name: 'Bartholomew Tate',
      dateOfBirth: '2014-01-09',
      plan: { reportAfterMinutes: 0, riskFactors: ['under-13'] },
    },
  ],
  { shiftChanges: ['22:30'] },
);

/** A Slack stand-in (nock) that answers like Slack, or fails the next calls as queued. */
function slackWithFailures() {
  const failures: { method: string; reply: [number, unknown, Record<string, string>?] }[] = [];
  let ts = 1_700_000_000;
  nock('https://slack.com')
    .persist()
    .post(/\/api\/.+/)
    .reply(function (uri, body) {
      const method = uri.split('/api/')[1]!.split('?')[0]!;
      const fields = Object.fromEntries(new URLSearchParams(String(body)));
      const failure = failures.findIndex((f) => f.method === method);
      if (failure >= 0) return failures.splice(failure, 1)[0]!.reply;
      if (method === 'chat.postMessage') return [200, { ok: true, channel: fields.channel, ts: `${++ts}.000100` }];
      if (method === 'users.info')
        return [200, { ok: true, user: { id: fields.user, profile: { display_name: 'Priya Shah' } } }];
      return [200, { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', channel: fields.channel, ts: fields.ts }];
    });
  nock('https://hooks.slack.com').persist().post(/.*/).reply(200, 'ok');
  return {
    failNext: (method: string, reply: [number, unknown, Record<string, string>?]) => failures.push({ method, reply }),
  };
}

let bot: SlackBot;
let lines: string[];
let dir: string;
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  lines = [];
  dir = tempDir('privacy-');
  fs.writeFileSync(path.join(dir, 'homes.yaml'), homes);
  // Anything written to the console (Bolt, node-cron, warnings) counts as a log line too.
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
});
afterEach(async () => {
  await bot?.close();
  vi.restoreAllMocks();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('process logs', () => {
  it.each([
    ['JSON lines (stdout not a terminal)', false],
    ['pretty lines (stdout a terminal)', true],
  ])(
    'never hold a child’s name, date of birth or message text, at any level, as %s',
    async (_, pretty) => {
      const captured = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString().split('\n').filter(Boolean));
          done();
        },
      });
      bot = await startSlackBot({
        at: '2026-11-20T22:10:00Z',
        env: { DATA_DIR: dir, HOMES_FILE: path.join(dir, 'homes.yaml') },
        logger: createLogger({ level: 'trace', destination: captured, pretty }),
      });
      const slack = slackWithFailures();
      const settle = () => new Promise((r) => setTimeout(r, 300));

      // Opening: Slack rate-limits and then fails the first post, so the outbox logs its retries.
      slack.failNext('chat.postMessage', [429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' }]);
      slack.failNext('chat.postMessage', [500, 'Slack is having trouble']);
      await postForm(bot.url, slashCommand(users.jo, 'AJ'));
      await postForm(bot.url, slashCommand(users.priya, 'BT'));
      await settle();
      for (let i = 0; i < 6; i++) {
        bot.clock.advanceMinutes(0.25);
        await bot.tick();
      }
      const [aj] = await bot.app.store.transaction((tx) => tx.episodes.listActive());
      const rootTs = aj!.threadRef!.split('|')[1]!;

      // People write names, dates of birth and details into the thread, edit and delete them.
      const said = 'SECRET-PARK Alexandra Jones (born 2010-05-14) was seen by the park gates';
      await postEvent(
        bot.url,
        {
          type: 'message',
          channel: CHANNEL,
          user: users.priya,
          text: said,
          ts: '1700000500.000100',
          thread_ts: rootTs,
        },
        'Ev-p1',
      );
      await postEvent(
        bot.url,
        {
          type: 'message',
          subtype: 'message_changed',
          channel: CHANNEL,
          message: {
            user: users.priya,
            text: 'SECRET-EDIT Alexandra Jones, not by the gates',
            ts: '1700000500.000100',
            thread_ts: rootTs,
          },
          previous_message: { user: users.priya, text: said, ts: '1700000500.000100', thread_ts: rootTs },
        },
        'Ev-p2',
      );
      await postEvent(
        bot.url,
        {
          type: 'message',
          subtype: 'message_deleted',
          channel: CHANNEL,
          deleted_ts: '1700000500.000100',
          previous_message: { user: users.priya, text: said, ts: '1700000500.000100', thread_ts: rootTs },
        },
        'Ev-p3',
      );
      // A form with details, and a form that is wrong.
      const police = (values: Record<string, unknown>) => ({
        payload: JSON.stringify({
          type: 'view_submission',
          team: { id: 'T0OAK' },
          user: { id: users.jo },
          api_app_id: 'A0APP',
          token: 't',
          trigger_id: '1',
          view: {
            id: 'V1',
            type: 'modal',
            callback_id: FORM_CALLBACK,
            private_metadata: JSON.stringify({ value: `police_report|${aj!.id}|`, channel: CHANNEL, threadTs: rootTs }),
            state: { values },
            hash: 'h',
          },
        }),
      });
      const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
      await postForm(
        bot.url,
        police({
          reference: text('SECRET-REF Alexandra Jones'),
          officer: text('SECRET-OFFICER'),
          grade: { value: { type: 'static_select', selected_option: { value: 'high' } } },
        }),
      );
      await postForm(
        bot.url,
        police({
          reference: text('SECRET-WRONG 2010-05-14'),
          grade: { value: { type: 'static_select', selected_option: { value: 'SECRET-GRADE' } } },
        }),
      );
      // Commands with names in them, the handover, the list, and someone not on the staff list.
      for (const words of [
        'Alexandra Jones',
        'Bartholomew',
        'status Alexandra',
        'list',
        'handover',
        'status AJ',
        'SECRET-WORD 2014-01-09 and more',
      ])
        await postForm(bot.url, slashCommand(users.jo, words));
      await postForm(bot.url, slashCommand(users.stranger, 'AJ'));
      // Forged, stale and malformed requests carrying the same words.
      const forged = new URLSearchParams(slashCommand(users.jo, 'SECRET-FORGED Alexandra Jones')).toString();
      await fetch(bot.url, {
        method: 'POST',
        body: forged,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(forged, undefined, 'wrong') },
      });
      await fetch(bot.url, {
        method: 'POST',
        body: forged,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(forged, 1) },
      });
      const malformed = `payload=${encodeURIComponent('{"SECRET-MALFORMED": "Alexandra Jones 2010-05-14"')}`;
      await fetch(bot.url, {
        method: 'POST',
        body: malformed,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(malformed) },
      });
      const json = '"SECRET-JSON Alexandra Jones"';
      await fetch(bot.url, {
        method: 'POST',
        body: json,
        headers: { 'content-type': 'application/json', ...sign(json) },
      });
      await settle();

      // Slack refuses a card for good; then the database is locked while someone writes.
      slack.failNext('chat.postMessage', [200, { ok: false, error: 'channel_not_found' }]);
      slack.failNext('chat.update', [200, { ok: false, error: 'msg_too_long' }]);
      await bot.tick();
      const locker = new Database(path.join(dir, sqliteFileName));
      locker.exec('BEGIN IMMEDIATE');
      await postEvent(
        bot.url,
        {
          type: 'message',
          channel: CHANNEL,
          user: users.jo,
          text: 'SECRET-LOCKED Bartholomew Tate rang',
          ts: '1700000600.000100',
          thread_ts: rootTs,
        },
        'Ev-p4',
      );
      await postForm(bot.url, slashCommand(users.priya, 'AJ'));
      await vi.waitFor(() => expect(lines.join('\n')).toContain('recording delayed'), { timeout: 10_000 });
      locker.exec('ROLLBACK');
      locker.close();

      // Time passes: the held entries go in, reminders fall due, the shift changes.
      for (let i = 0; i < 8; i++) {
        bot.clock.advanceMinutes(5);
        await bot.tick();
      }
      await settle();

      // The logs saw all of that…
      const all = lines.join('\n');
      expect(lines.length).toBeGreaterThan(10);
      for (const seen of [
        'delivery failed, will retry',
        'delivery refused by the platform',
        'recording delayed',
        'held commands applied',
        'pings dispatched',
        'Failed to verify authenticity',
      ])
        expect(all).toContain(seen);
      // In the form asked for: JSON for machines, or lines a person reads in a terminal.
      expect(lines.some((l) => l.startsWith('{"level"'))).toBe(!pretty);
      // …and none of the secrets.
      for (const secret of secrets)
        expect({ secret, found: lines.filter((l) => l.includes(secret)) }).toEqual({ secret, found: [] });
      // The record itself keeps what was said: logs are no substitute for it, and it is complete.
      const record = await bot.app.store.transaction((tx) => tx.record.list(aj!.id));
      expect(record.map((e) => e.text).join('\n')).toContain('SECRET-LOCKED Bartholomew Tate rang');
    },
    60_000,
  );
});
