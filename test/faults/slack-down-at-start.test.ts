import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { watchSlackConnection } from '../../adapters/slack/connection.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { homesYaml } from '../support/homes.ts';
import { startBotProcess, until, type BotProcess } from '../support/processes.ts';
import { startSlackStandIn, type SlackStandIn } from '../support/slack-stand-in.ts';
import { tempDir } from '../support/temp.ts';

// A Slack outage during a restart, or a rotated token, must not stop the bot: it starts, records,
// schedules and serves its other adapters, says what is wrong, and connects once Slack is back.

let bot: BotProcess | null = null;
let slack: SlackStandIn | null = null;
afterEach(async () => {
  await bot?.kill();
  bot = null;
  await slack?.close();
  slack = null;
});

/** A loopback port nothing listens on: connections to it are refused. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Slack unreachable or refusing the token at start', () => {
  it('starts anyway: the playground records, /healthz says Slack cannot be reached, and nothing crashes', async () => {
    const dir = tempDir('slack-down-');
    const homes = homesYaml({
      id: 'oak-house',
      channels: { slack: 'C0OAK', web: 'oak-house' },
      staff: [
        { id: 'sam', name: 'Sam Okafor', role: 'manager', slack: 'U0SAM', web: 'sam' },
        { id: 'jo', name: 'Jo Reid', role: 'support_worker', slack: 'U0JO', web: 'jo' },
      ],
      children: [{ id: 'child-aj', alias: 'AJ', plan: {} }],
    });
    fs.writeFileSync(path.join(dir, 'homes.yaml'), homes);
    bot = await startBotProcess({
      DATA_DIR: dir,
      HOMES_FILE: path.join(dir, 'homes.yaml'),
      PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: `http://127.0.0.1:${await deadPort()}/api/`,
      PLAYGROUND: 'on',
      TICK_SECONDS: '1',
      CLOCK_START: new Date().toISOString(),
    });
    const health = async () =>
      (await fetch(`${bot!.url}/healthz`).then((r) => r.json())) as {
        status: string;
        platforms: { slack: { state: string; detail: string } };
      };
    await until(async () => (await health()).platforms.slack.state === 'unreachable', 20_000, 'Slack to be found down');
    expect(await health()).toMatchObject({
      status: 'ok',
      platforms: { slack: { state: 'unreachable', detail: expect.stringMatching(/^Slack could not be reached/) } },
    });
    expect(bot.output()).toContain('Slack could not be reached');
    expect(bot.output()).not.toMatch(/WebAPIRequestError|Unhandled|at .+\.js:\d+/);
    // The bot goes on: a child reported in the playground is recorded.
    const opened = (await fetch(`${bot.url}/api/web/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'jo', channel: 'oak-house', text: '/missing AJ' }),
    }).then((r) => r.json())) as { ok: boolean; error?: string };
    expect(opened).toMatchObject({ ok: true });
    expect(bot.child.exitCode).toBeNull();
  }, 60_000);

  it('says in words when Slack refuses the token, and connects once Slack answers again', async () => {
    slack = await startSlackStandIn();
    let answer: 'down' | 'refuse' | 'ok' = 'down';
    slack.state.fail = (method) =>
      method !== 'auth.test' || answer === 'ok'
        ? null
        : answer === 'down'
          ? { status: 503 }
          : { status: 200, body: { ok: false, error: 'invalid_auth' } };
    const lines: string[] = [];
    const logger: Logger = {
      info: (_c, m) => lines.push(`info ${m}`),
      warn: (_c, m) => lines.push(`warn ${m}`),
      error: (_c, m) => lines.push(`error ${m}`),
    };
    const client = new WebClient('xoxb-test', { slackApiUrl: `${slack.url}/api/`, retryConfig: { retries: 0 } });
    const watch = watchSlackConnection(client, logger, { retryMs: () => 50 });
    try {
      await until(() => watch.current().state === 'unreachable', 10_000, 'Slack down');
      answer = 'refuse';
      await until(() => watch.current().state === 'refused', 10_000, 'the token refused');
      expect(watch.current().detail).toBe('Slack rejected the bot token (invalid_auth)');
      answer = 'ok';
      await until(() => watch.current().state === 'connected', 10_000, 'Slack back');
      // Each change said once, at the level it deserves.
      expect(lines.filter((l) => l.includes('invalid_auth'))).toEqual([
        'error Slack rejected the bot token (invalid_auth); reminders to Slack wait until it is fixed',
      ]);
      expect(lines.at(-1)).toMatch(/^info connected to Slack/);
    } finally {
      watch.stop();
    }
  });
});
