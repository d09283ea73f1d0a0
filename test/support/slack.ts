import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { startApp, type App } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger, type Logger } from '../../src/ports/logger.ts';
import { FakeClock } from '../fakes/clock.ts';
import { tempDir } from './temp.ts';
import { homesYaml as homesFile, samAndJo, type HomeSpec } from './homes.ts';

export const SIGNING_SECRET = 'test-signing-secret';
export const CHANNEL = 'C0OAK';
/** Slack user ids of the test home's staff. */
export const users = { sam: 'U0SAM', jo: 'U0JO', priya: 'U0PRIYA', stranger: 'U0NOBODY' } as const;

/** A home whose channel and staff live in Slack. */
export const homesYaml = slackHome([
  { id: 'child-aj', alias: 'AJ', plan: { reportAfterMinutes: 30, riskFactors: ['out-of-pattern'] } },
  { id: 'child-bt', alias: 'BT', plan: { reportAfterMinutes: 0, riskFactors: ['under-13'] } },
]);

/** Oak House in Slack (Sam on call; Sam, Jo and Priya on the staff) with these children and settings. */
export function slackHome(children: HomeSpec['children'], settings: Partial<HomeSpec> = {}): string {
  return homesFile({
    id: 'oak-house',
    name: 'Oak House',
    channels: { slack: CHANNEL },
    onCall: ['sam'],
    staff: [
      ...samAndJo('slack', { sam: users.sam, jo: users.jo }),
      { id: 'priya', name: 'Priya Shah', role: 'support_worker', slack: users.priya },
    ],
    children,
    ...settings,
  });
}

/** Signs a body the way Slack does (v0 HMAC of "v0:<ts>:<body>"). */
export function sign(body: string, ts = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET) {
  const signature = 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature };
}

export interface SlackBot {
  app: App;
  clock: FakeClock;
  url: string;
  /** Delivers due pings and the outbox now (the ticker is stopped: tests drive it). */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** The real app (real HTTP server, Bolt receiver, SQLite) with Slack credentials and a fake clock. */
export async function startSlackBot(
  opts: { at?: string; env?: Record<string, string>; logger?: Logger } = {},
): Promise<SlackBot> {
  const dir = tempDir('slack-bot-');
  fs.writeFileSync(path.join(dir, 'homes.yaml'), homesYaml);
  const clock = new FakeClock(new Date(opts.at ?? '2026-11-20T22:10:00Z'));
  // Bolt verifies the token once at start.
  nock('https://slack.com')
    .post('/api/auth.test')
    .reply(200, { ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0OAK' })
    .persist();
  const env = parseEnv({
    DATA_DIR: dir,
    HOMES_FILE: path.join(dir, 'homes.yaml'),
    PORT: '0',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    INSTANCE_ID: 'slack-test',
    ...opts.env,
  });
  const app = await startApp({ env, clock, logger: opts.logger ?? silentLogger, startTicking: false });
  return {
    app,
    clock,
    url: `${app.url}/slack/events`,
    tick: () => app.ticker.tick(),
    close: () => app.stop(),
  };
}

/** Posts a signed form-encoded request (slash commands and interactions). */
export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams(fields).toString();
  return fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body), ...headers },
  });
}

/** Posts a signed Events API callback. */
export async function postEvent(
  url: string,
  event: Record<string, unknown>,
  eventId: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: 'T0OAK',
    api_app_id: 'A0APP',
    event_id: eventId,
    event_time: 1,
    event,
  });
  return fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...sign(body), ...headers },
  });
}

/** A slash command as Slack sends it. */
export function slashCommand(user: string, text: string, responseUrl = 'https://hooks.slack.com/commands/T0OAK/1/abc') {
  return {
    command: '/missing',
    text,
    channel_id: CHANNEL,
    user_id: user,
    team_id: 'T0OAK',
    response_url: responseUrl,
    trigger_id: '1.2.3',
    api_app_id: 'A0APP',
    token: 'legacy',
  };
}

/** A button press as Slack sends it. */
export function buttonPress(user: string, actionId: string, value: string, messageTs: string, threadTs?: string) {
  const payload = {
    type: 'block_actions',
    user: { id: user },
    team: { id: 'T0OAK' },
    api_app_id: 'A0APP',
    token: 't',
    trigger_id: '4.5.6',
    response_url: 'https://hooks.slack.com/actions/T0OAK/2/def',
    channel: { id: CHANNEL },
    container: { type: 'message', message_ts: messageTs, channel_id: CHANNEL },
    message: { ts: messageTs, ...(threadTs ? { thread_ts: threadTs } : {}) },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
  };
  return { payload: JSON.stringify(payload) };
}

/** Every button in a set of posted blocks, with its action id and value. */
export function buttonsIn(blocks: unknown): { action_id: string; value: string; text: string }[] {
  const out: { action_id: string; value: string; text: string }[] = [];
  for (const block of (blocks ?? []) as {
    type: string;
    elements?: { type: string; action_id: string; value: string; text: { text: string } }[];
  }[]) {
    for (const el of block.elements ?? [])
      if (el.type === 'button') out.push({ action_id: el.action_id, value: el.value, text: el.text.text });
  }
  return out;
}

/** A modal the bot opened (the body of a views.open call). */
export interface OpenedView {
  callback_id: string;
  private_metadata: string;
  blocks: { block_id: string; element: { type: string } }[];
}

/**
 * A modal's submission as Slack sends it: each value put into the state shape of its block's
 * element (text, select, multi-select, date-time picker in seconds).
 */
export function viewSubmission(user: string, view: OpenedView, values: Record<string, string | string[] | Date>) {
  const state: Record<string, Record<string, unknown>> = {};
  // A time is given as a Date for the field; it is picked as its date and its time in the home's zone.
  const part = (blockId: string, suffix: string, pattern: string) => {
    const at = values[blockId.slice(0, -suffix.length)];
    return at instanceof Date ? format(new TZDate(at, 'Europe/London'), pattern) : null;
  };
  for (const block of view.blocks) {
    const value = values[block.block_id];
    const type = block.element.type;
    const input =
      type === 'datepicker'
        ? { selected_date: part(block.block_id, '__date', 'yyyy-MM-dd') }
        : type === 'timepicker'
          ? { selected_time: part(block.block_id, '__time', 'HH:mm') }
          : type === 'static_select'
            ? { selected_option: typeof value === 'string' ? { value } : null }
            : type === 'multi_static_select'
              ? { selected_options: (Array.isArray(value) ? value : []).map((v) => ({ value: v })) }
              : { value: typeof value === 'string' ? value : null };
    state[block.block_id] = { value: { type, ...input } };
  }
  return {
    payload: JSON.stringify({
      type: 'view_submission',
      user: { id: user },
      team: { id: 'T0OAK' },
      api_app_id: 'A0APP',
      view: {
        id: 'V1',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: { values: state },
      },
    }),
  };
}
