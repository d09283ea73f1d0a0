import type { Platform } from '../domain/episode.ts';
import type { ChatPlatform } from '../ports/chat.ts';
import { DeliveryError } from '../ports/chat.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { OutboxRecord, Store } from '../ports/store.ts';
import { EPISODE_CARD_KEY } from '../messages/outbound.ts';
import { alertRefusedDelivery } from '../engine/schedule/refused-delivery.ts';

export interface OutboxRun {
  delivered: number;
  retried: number;
  failed: number;
  waiting: number;
}

/**
 * Backoff for the n-th failed attempt: 2 s, 4 s, 8 s … capped at a minute, so a platform that is
 * back after an outage is used again within a minute (Retry-After is honoured on top of this).
 */
export const backoffMs = (attempts: number) => Math.min(60_000, 2_000 * 2 ** Math.max(0, attempts));

/**
 * Delivers due outbox messages through the platform adapters. Failures are retried with backoff
 * (or after Retry-After); nothing is dropped. A message for a thread whose root is not posted yet
 * waits without counting an attempt.
 */
export async function deliverOutbox(
  deps: { store: Store; clock: Clock; logger: Logger; platforms: ReadonlyMap<Platform, ChatPlatform> },
  instanceId: string,
  limit = 50,
): Promise<OutboxRun> {
  const run: OutboxRun = { delivered: 0, retried: 0, failed: 0, waiting: 0 };
  // An episode's messages go one at a time, in order, so keep claiming while that makes progress.
  for (let round = 0; round < 20; round++) {
    const delivered = run.delivered;
    const claimed = await deliverBatch(deps, instanceId, limit, run);
    if (claimed === 0 || run.delivered === delivered) break;
  }
  return run;
}

async function deliverBatch(
  deps: { store: Store; clock: Clock; logger: Logger; platforms: ReadonlyMap<Platform, ChatPlatform> },
  instanceId: string,
  limit: number,
  run: OutboxRun,
): Promise<number> {
  const { store, clock, logger, platforms } = deps;
  const now = clock.now();
  const claimed = await store.claimDueOutbox(now, instanceId, new Date(now.getTime() + 60_000), limit);
  for (const item of claimed) {
    const chat = platforms.get(item.platform);
    if (!chat) {
      // The platform is not enabled in this process: leave it for one that has it.
      await store.outboxRelease(item.id, new Date(now.getTime() + 60_000));
      run.waiting += 1;
      continue;
    }
    try {
      const outcome = await deliverOne(store, chat, item);
      if (outcome === 'waiting') {
        await store.outboxRelease(item.id, new Date(now.getTime() + 1_000));
        run.waiting += 1;
      } else {
        await store.outboxDelivered(item.id, clock.now(), outcome);
        run.delivered += 1;
      }
    } catch (error) {
      const retryable = !(error instanceof DeliveryError) || error.retryable;
      const wait =
        error instanceof DeliveryError && error.retryAfterMs !== undefined
          ? error.retryAfterMs
          : backoffMs(item.attempts);
      const message = error instanceof Error ? error.message : String(error);
      await store.outboxFailed(item.id, message, retryable ? new Date(clock.now().getTime() + wait) : null);
      logger[retryable ? 'warn' : 'error'](
        {
          outboxId: item.id,
          episodeId: item.episodeId,
          platform: item.platform,
          attempts: item.attempts + 1,
          err: message,
        },
        retryable ? 'delivery failed, will retry' : 'delivery refused by the platform',
      );
      if (retryable) run.retried += 1;
      else {
        run.failed += 1;
        // Nothing more will reach people there: their managers hear of it another way.
        await store
          .transaction((tx) => alertRefusedDelivery(tx, item, message, clock.now(), logger))
          .catch((err: unknown) =>
            logger.error({ outboxId: item.id, err: String(err) }, 'could not alert the managers to a refused delivery'),
          );
      }
    }
  }
  return claimed.length;
}

/** Sends one message; returns the platform's message ref, or 'waiting' if its thread is not there yet. */
async function deliverOne(store: Store, chat: ChatPlatform, item: OutboxRecord): Promise<string | 'waiting'> {
  const { target, card, cardKey } = item.message;
  switch (target.kind) {
    case 'episode_root': {
      const { threadRef, messageRef } = await chat.startThread(target.channelRef, card);
      if (item.episodeId) {
        const episodeId = item.episodeId;
        await store.transaction((tx) => tx.episodes.update(episodeId, { threadRef }));
      }
      return messageRef;
    }
    case 'thread': {
      if (!item.episodeId) throw new DeliveryError('thread message without an episode', false);
      const episodeId = item.episodeId;
      const episode = await store.transaction((tx) => tx.episodes.get(episodeId));
      if (!episode?.threadRef) return 'waiting';
      const existing = cardKey ? await store.cardRef(episodeId, cardKey) : null;
      if (existing) {
        await chat.updateMessage(episode.threadRef, existing, card);
        return existing;
      }
      // The episode card is the thread's first message: with no ref to it there is nothing to
      // update, and posting it again as a reply would only repeat it.
      if (cardKey === EPISODE_CARD_KEY) return '';
      return (await chat.postToThread(episode.threadRef, card)).messageRef;
    }
    case 'direct': {
      // A copy already sent (an approval, a handover) is updated where it is.
      const existing = cardKey ? await store.cardRef(item.episodeId, cardKey) : null;
      if (existing) {
        await chat.updateDirect(existing, card);
        return existing;
      }
      return (await chat.sendDirect(target.platformUserId, card)).messageRef;
    }
    case 'channel':
      return (await chat.postToChannel(target.channelRef, card)).messageRef;
  }
}
