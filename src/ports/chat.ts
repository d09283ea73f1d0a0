import type { Platform } from '../domain/episode.ts';
import type { Card } from '../messages/outbound.ts';

/**
 * What the outbox needs from a chat platform, in the domain's words. Thread and message
 * references are opaque strings the adapter encodes and decodes.
 */
export interface ChatPlatform {
  readonly platform: Platform;
  /** Posts an episode's first message in the home's channel; returns the new thread's ref. */
  startThread(channelRef: string, card: Card): Promise<{ threadRef: string; messageRef: string }>;
  postToThread(threadRef: string, card: Card): Promise<{ messageRef: string }>;
  updateMessage(threadRef: string, messageRef: string, card: Card): Promise<void>;
  /** Sends a card to one person; the ref it returns is enough on its own to update the message. */
  sendDirect(platformUserId: string, card: Card): Promise<{ messageRef: string }>;
  /** Updates a direct message in place, from the ref sendDirect returned. */
  updateDirect(messageRef: string, card: Card): Promise<void>;
  postToChannel(channelRef: string, card: Card): Promise<{ messageRef: string }>;
}

/**
 * Thrown by an adapter when a delivery failed. `retryable` false means the platform refused the
 * message for good (it is kept, marked failed, and logged); `retryAfterMs` honours Retry-After.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
