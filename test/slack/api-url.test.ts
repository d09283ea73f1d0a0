import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, slashCommand, startSlackBot, users, type SlackBot } from '../support/slack.ts';

// A local stand-in for Slack's Web API on loopback: with SLACK_API_URL pointing at it, no call
// may go to slack.com (nock refuses any that tries).
const received: { method: string; body: string }[] = [];
let standIn: http.Server;
let bot: SlackBot;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  let ts = 100;
  standIn = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const method = req.url!.replace(/^\/api\//, '').split('?')[0]!;
      received.push({ method, body });
      const channel = new URLSearchParams(body).get('channel');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: true, channel, ts: `${++ts}.000100`, user_id: 'U0BOT', bot_id: 'B0BOT' }));
    });
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const { port } = standIn.address() as AddressInfo;
  nock.cleanAll(); // no slack.com mocks at all in this file
  bot = await startSlackBot({ env: { SLACK_API_URL: `http://127.0.0.1:${port}/api` } });
  nock.cleanAll(); // startSlackBot mocks auth.test on slack.com: remove it so nothing can go there
  // The response_url of a slash command is Slack's to choose: the stand-in hands out its own.
  nock('https://hooks.slack.com').post(/.*/).reply(200, 'ok').persist();
});
afterAll(async () => {
  await bot?.close();
  standIn?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('SLACK_API_URL', () => {
  it('sends every Web API call to the configured base URL', async () => {
    const res = await postForm(bot.url, slashCommand(users.jo, 'AJ'));
    expect(res.status).toBe(200);
    await bot.tick();
    await expect.poll(() => received.filter((r) => r.method === 'chat.postMessage').length).toBe(3);
    const root = new URLSearchParams(received.find((r) => r.method === 'chat.postMessage')!.body);
    expect(root.get('channel')).toBe('C0OAK');
    expect(root.get('text')).toContain('AJ — missing from care');
  });
});
