import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Card } from '../../src/messages/outbound.ts';
import { DeliveryError, type ChatPlatform } from '../../src/ports/chat.ts';
import { fallbackText, renderCard } from './blocks.ts';
import { parseThreadRef, threadRef } from './refs.ts';

/** Slack errors that mean "try again later"; every other platform error is final for that message. */
const transient = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** Turns a Web API failure into the outbox's terms: retry (when), or give up and keep it. */
export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as {
    code?: string;
    retryAfter?: number;
    data?: { error?: string };
    statusCode?: number;
    message?: string;
  };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return new DeliveryError('Slack rate limit', true, (e.retryAfter ?? 30) * 1000);
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return new DeliveryError(`Slack refused the message: ${code}`, transient.has(code));
    }
    case ErrorCode.HTTPError:
      return new DeliveryError(`Slack answered HTTP ${e.statusCode ?? '?'}`, true);
    case ErrorCode.RequestError:
      return new DeliveryError('Slack could not be reached', true);
    default:
      return new DeliveryError(e?.message ?? String(error), true);
  }
}

/** The outbox's view of Slack: a thread per episode in the home's channel, cards as Block Kit. */
export function slackChat(client: WebClient): ChatPlatform {
  /** Posts every page of a card; returns the first page's ts (the one later updated in place). */
  async function post(channel: string, card: Card, threadTs?: string): Promise<string> {
    return (await postIn(channel, card, threadTs)).ts;
  }

  /** As post, with the channel Slack put it in (a user id is answered with their direct-message channel). */
  async function postIn(channel: string, card: Card, threadTs?: string): Promise<{ channel: string; ts: string }> {
    const pages = renderCard(card);
    let first = '';
    let postedIn = channel;
    for (const [index, blocks] of pages.entries()) {
      const text = index === 0 ? fallbackText(card) : `${fallbackText(card)} (continued)`;
      const result = await call(() =>
        client.chat.postMessage({
          channel,
          text,
          blocks: blocks as never,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
        }),
      );
      const ts = String(result.ts ?? '');
      if (index === 0) {
        first = ts;
        postedIn = typeof result.channel === 'string' && result.channel ? result.channel : channel;
      }
      // Later pages go where the first one went.
      channel = postedIn;
      // The rest of a long card goes into the thread it started (or that it is in).
      threadTs ??= ts;
    }
    return { channel: postedIn, ts: first };
  }

  return {
    platform: 'slack',
    async startThread(channelRef, card) {
      const ts = await post(channelRef, card);
      return { threadRef: threadRef(channelRef, ts), messageRef: ts };
    },
    async postToThread(ref, card) {
      const { channel, threadTs } = parseThreadRef(ref);
      return { messageRef: await post(channel, card, threadTs) };
    },
    async updateMessage(ref, messageRef, card) {
      const { channel, threadTs } = parseThreadRef(ref);
      const [first = [], ...rest] = renderCard(card);
      await call(() =>
        client.chat.update({ channel, ts: messageRef, text: fallbackText(card), blocks: first as never }),
      );
      // A card that outgrew one message: the overflow follows in the thread.
      for (const blocks of rest)
        await call(() =>
          client.chat.postMessage({
            channel,
            thread_ts: threadTs,
            text: `${fallbackText(card)} (continued)`,
            blocks: blocks as never,
          }),
        );
    },
    async sendDirect(userId, card) {
      // Posting to a user id delivers into the app's direct messages with that person; the ref
      // names that channel and the message, which is what chat.update needs later.
      const posted = await postIn(userId, card);
      return { messageRef: threadRef(posted.channel, posted.ts) };
    },
    async updateDirect(ref, card) {
      const { channel, threadTs: ts } = parseThreadRef(ref);
      const [first = []] = renderCard(card);
      await call(() => client.chat.update({ channel, ts, text: fallbackText(card), blocks: first as never }));
    },
    async postToChannel(channelRef, card) {
      return { messageRef: await post(channelRef, card) };
    },
  };
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toDeliveryError(error);
  }
}
