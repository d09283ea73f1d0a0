// Hostile traffic at the real /slack/events endpoint, signed as Slack signs it (and sometimes not):
// slash-command text, form submissions and message events of every shape. Each request gets 200
// with a clear reply (or form errors), or 400/401; the process keeps answering; the record and
// the database stay whole. One bot serves a whole property, so runs build on each other's state.
import fc from 'fast-check';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORM_CALLBACK } from '../../adapters/slack/modals.ts';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { sqliteFileName } from '../../src/store/database.ts';
import { PrismaClient } from '../../src/store/generated/sqlite/client.ts';
import { fakeSlack } from '../fakes/slack-web-api.ts';
import {
  CHANNEL,
  postEvent,
  postForm,
  sign,
  slashCommand,
  startSlackBot,
  users,
  type SlackBot,
} from '../support/slack.ts';
import { expectConsistent, expectPlainWords, hostileText, injections, wrongValue } from '../support/hostile.ts';
import { tempDir } from '../support/temp.ts';

let bot: SlackBot;
let slack: ReturnType<typeof fakeSlack>;
/** A second client on the bot's SQLite file (already migrated), to check the database. */
let reader: PrismaClient;
let rootTs: string;
let episodeId: string;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  slack = fakeSlack();
  const dir = tempDir('hostile-slack-');
  bot = await startSlackBot({ env: { DATA_DIR: dir } });
  reader = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${path.join(dir, sqliteFileName)}` }) });
  // AJ's episode is open and its thread posted, so events and forms have something to land on.
  await postForm(bot.url, slashCommand(users.jo, 'AJ'));
  await vi.waitFor(() => expect(slack.responses).toHaveLength(1));
  await bot.tick();
  const [episode] = await bot.app.store.transaction((tx) => tx.episodes.listActive());
  episodeId = episode!.id;
  rootTs = episode!.threadRef!.split('|')[1]!;
});
afterAll(async () => {
  await reader?.$disconnect();
  await bot?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

let sequence = 0;
const anyone = fc.constantFrom(users.jo, users.sam, users.priya, users.stranger);
const recordOfAj = () => bot.app.store.transaction((tx) => tx.record.list(episodeId));

/** Waits until the work started after the acks has finished: the record stops changing. */
async function settled() {
  let last = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await reader.logEntry.count();
    if (now === last) return;
    last = now;
  }
}

/** The bot still answers, and the record and database hang together. */
async function expectHealthy() {
  await settled();
  const health = await fetch(bot.url.replace('/slack/events', '/healthz'));
  expect(health.status).toBe(200);
  await bot.tick();
  await expectConsistent(reader);
  // Whatever anyone was told, in a reply or privately in a thread, is in our words.
  for (const r of slack.responses) expectPlainWords(JSON.stringify(r.body));
  for (const c of slack.of('chat.postEphemeral')) expectPlainWords(String(c.body.text));
}

describe('slash-command text', () => {
  it('answers any text with 200 and a private reply (or a form), and never crashes', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, anyone, async (text, user) => {
        const n = ++sequence;
        const command = {
          ...slashCommand(user, text, `https://hooks.slack.com/commands/T0OAK/${n}/abc`),
          trigger_id: `t-${n}`,
        };
        const res = await postForm(bot.url, command);
        expect(res.status).toBe(200);
        await expect
          .poll(
            () =>
              slack.responses.some((r) => r.url === `/commands/T0OAK/${n}/abc`) ||
              slack.of('views.open').some((c) => c.body.trigger_id === `t-${n}`),
            { timeout: 10_000 },
          )
          .toBe(true);
        const reply = slack.responses.find((r) => r.url === `/commands/T0OAK/${n}/abc`);
        if (reply) {
          expect(reply.body.response_type).toBe('ephemeral');
          expect(String(reply.body.text).length).toBeGreaterThan(0);
          expect(String(reply.body.text).length).toBeLessThan(4_000);
          expectPlainWords(String(reply.body.text));
        }
      }),
      { numRuns: 80 },
    );
    await expectHealthy();
  });

  it('refuses a forged, unsigned or tampered request with 401, whatever it says', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, fc.constantFrom('forged', 'unsigned', 'tampered', 'stale'), async (text, how) => {
        const body = new URLSearchParams(slashCommand(users.jo, text)).toString();
        const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
        if (how === 'forged') Object.assign(headers, sign(body, undefined, 'not-the-secret'));
        if (how === 'tampered') Object.assign(headers, sign(`${body}&text=other`));
        if (how === 'stale') Object.assign(headers, sign(body, Math.floor(Date.now() / 1000) - 600));
        const res = await fetch(bot.url, { method: 'POST', body, headers });
        expect(res.status).toBe(401);
      }),
      { numRuns: 40 },
    );
  });
});

/** A view_submission as Slack sends it, from the form modal, with whatever state and metadata. */
function submission(user: string, privateMetadata: unknown, values: unknown, callbackId = FORM_CALLBACK) {
  return {
    payload: JSON.stringify({
      type: 'view_submission',
      team: { id: 'T0OAK' },
      user: { id: user },
      api_app_id: 'A0APP',
      token: 't',
      trigger_id: '7.8.9',
      view: {
        id: 'V0FORM',
        type: 'modal',
        callback_id: callbackId,
        private_metadata: typeof privateMetadata === 'string' ? privateMetadata : JSON.stringify(privateMetadata),
        state: { values },
        hash: 'h',
      },
    }),
  };
}

/** State values for fields of the bot's forms (and others), each of a type Slack sends or not. */
const stateValues = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'reference',
      'officer',
      'grade',
      'at',
      'how',
      'whereFound',
      'condition',
      'child',
      'place',
      'reason',
    ),
    fc.string({ maxLength: 12 }),
  ),
  fc.oneof(
    fc.record({
      value: fc.record({
        type: fc.constantFrom(
          'plain_text_input',
          'datetimepicker',
          'static_select',
          'multi_static_select',
          'checkboxes',
          'x',
        ),
        value: fc.option(hostileText),
        selected_date_time: fc.option(fc.oneof(fc.integer(), wrongValue)),
        selected_option: fc.option(fc.oneof(fc.record({ value: hostileText }), wrongValue)),
        selected_options: fc.option(
          fc.oneof(fc.array(fc.record({ value: hostileText }), { maxLength: 3 }), wrongValue),
        ),
      }),
    }),
    wrongValue,
  ),
  { maxKeys: 6 },
);
const metadata = fc.oneof(
  fc.constant('').map(() => ({ value: `police_report|${episodeId}|`, channel: CHANNEL, threadTs: rootTs })),
  fc.constant('').map(() => ({ value: `return|${episodeId}|`, channel: CHANNEL })),
  fc.constant({ value: 'open_episode', channel: CHANNEL }),
  fc.record({ value: hostileText, channel: fc.oneof(fc.constant(CHANNEL), hostileText) }),
  hostileText,
  wrongValue,
);

describe('form submissions', () => {
  it('answers any submission with 200 and either form errors or a clear result, and never crashes', async () => {
    await fc.assert(
      fc.asyncProperty(anyone, metadata, fc.oneof(stateValues, wrongValue), async (user, meta, values) => {
        const res = await postForm(bot.url, submission(user, meta, values));
        expect([200, 400]).toContain(res.status);
        const text = await res.text();
        if (text) {
          const body = JSON.parse(text) as { response_action?: string; errors?: Record<string, unknown> };
          expect(body.response_action).toBe('errors');
          for (const message of Object.values(body.errors ?? {})) {
            expect(typeof message).toBe('string');
            expectPlainWords(message as string);
          }
        }
      }),
      { numRuns: 80 },
    );
    await expectHealthy();
  });

  it('answers a body that is not JSON, not an object, or missing what a request needs, with 400 at once', async () => {
    const payloads = [
      '',
      'not json',
      '{"type":',
      '[]',
      'null',
      '42',
      '"text"',
      '{"type":"x"}',
      '{"type":"view_submission"}',
    ];
    const bodies = [
      ...payloads.map((payload) => ({ body: new URLSearchParams({ payload }).toString(), form: true })),
      ...['null', '[]', '{}', '{"type":"event_callback"}', '{"type":"event_callback","event":null}', ...injections].map(
        (body) => ({ body, form: false }),
      ),
    ];
    for (const { body, form } of bodies) {
      const started = performance.now();
      const res = await fetch(bot.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
          ...sign(body),
        },
      });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    await expectHealthy();
  });
});

describe('message events', () => {
  const messageEvent = fc.record(
    {
      type: fc.constant('message'),
      channel: fc.oneof(fc.constant(CHANNEL), hostileText),
      user: fc.oneof(anyone, wrongValue),
      text: fc.oneof(hostileText, wrongValue),
      ts: fc.oneof(
        fc.integer({ min: 1, max: 50 }).map((n) => `1700000200.${String(n).padStart(6, '0')}`),
        wrongValue,
      ),
      thread_ts: fc.oneof(
        fc.constant('').map(() => rootTs),
        wrongValue,
      ),
      subtype: fc.oneof(
        fc.constantFrom(
          'message_changed',
          'message_deleted',
          'file_share',
          'thread_broadcast',
          'bot_message',
          'channel_join',
        ),
        hostileText,
      ),
      message: fc.record({
        user: anyone,
        text: hostileText,
        ts: fc.constant('1700000200.000001'),
        thread_ts: fc.constant('').map(() => rootTs),
      }),
      previous_message: fc.record({
        user: anyone,
        text: hostileText,
        ts: fc.constant('1700000200.000001'),
        thread_ts: fc.constant('').map(() => rootTs),
      }),
      deleted_ts: fc.oneof(fc.constant('1700000200.000001'), wrongValue),
      files: fc.oneof(fc.array(fc.record({ name: hostileText }), { maxLength: 3 }), wrongValue),
      bot_id: fc.constantFrom('B0BOT', 'B0OTHER'),
    },
    { requiredKeys: ['type', 'channel'] },
  );

  it('takes any message event, replayed and in any order, with 200 (400 if malformed); each event id counts once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(messageEvent, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 8 }),
        async (events) => {
          const run = ++sequence;
          for (const [event, id] of events) {
            const res = await postEvent(bot.url, event, `Ev-${run}-${id}`);
            // 400 for an event no Slack would send (a null user, say): Bolt itself would trip over it.
            expect([200, 400]).toContain(res.status);
          }
          // Slack retries every one of them: nothing more is recorded.
          await settled();
          const before = await recordOfAj();
          for (const [event, id] of events)
            await postEvent(bot.url, event, `Ev-${run}-${id}`, { 'x-slack-retry-num': '1' });
          await settled();
          expect(await recordOfAj()).toEqual(before);
        },
      ),
      { numRuns: 25 },
    );
    await expectHealthy();
  }, 120_000);
});
