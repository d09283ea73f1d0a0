import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackChat } from '../../adapters/slack/slack-chat.ts';
import { noticeCard } from '../../src/messages/cards.ts';
import { DeliveryError } from '../../src/ports/chat.ts';

const chat = slackChat(new WebClient('xoxb-test', { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }));
const card = noticeCard('Police told the child is back.');

async function failureOf(reply: (scope: nock.Interceptor) => nock.Scope): Promise<DeliveryError> {
  reply(nock('https://slack.com').post('/api/chat.postMessage'));
  const error = await chat.postToThread('C0OAK|1.1', card).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('what the outbox is told when Slack fails', () => {
  it('a rate limit: retry after the seconds Slack asked for', async () => {
    const e = await failureOf((s) => s.reply(429, {}, { 'retry-after': '12' }));
    expect([e.retryable, e.retryAfterMs]).toEqual([true, 12_000]);
  });

  it('an outage (5xx) or no connection: retry with backoff', async () => {
    expect((await failureOf((s) => s.reply(503, 'unavailable'))).retryable).toBe(true);
    expect((await failureOf((s) => s.replyWithError('ECONNRESET'))).retryable).toBe(true);
  });

  it('a refusal that will not change (channel gone, bad blocks): keep it, marked failed', async () => {
    const e = await failureOf((s) => s.reply(200, { ok: false, error: 'channel_not_found' }));
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('channel_not_found');
  });

  it('Slack’s own transient errors: retry', async () => {
    expect((await failureOf((s) => s.reply(200, { ok: false, error: 'internal_error' }))).retryable).toBe(true);
  });
});
