import type { RecordEntry } from '../domain/record.ts';
import type { Card } from '../messages/outbound.ts';

/** One item of a thread as a person sees it: a card the bot posted, or a person's message. */
export type TimelineItem =
  | { kind: 'card'; id: string; at: Date; card: Card; cardKey: string | null }
  | { kind: 'message'; id: string; at: Date; entry: RecordEntry & { id: string } };

/**
 * Read model for the local playground, which is its own chat platform: the cards it was sent
 * (from the outbox) and the messages people typed (from the record).
 */
export interface Timeline {
  /**
   * The episode's thread: delivered cards (each card key shown once, at its latest) and messages;
   * null unless the episode is of the home behind this channel.
   */
  thread(episodeId: string, platform: string, channelRef: string): Promise<TimelineItem[] | null>;
  /** Direct messages delivered to one person on a platform, newest last. */
  directMessages(
    platform: string,
    platformUserId: string,
    limit?: number,
  ): Promise<{ id: string; at: Date; card: Card }[]>;
}
