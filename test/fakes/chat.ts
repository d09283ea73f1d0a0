import type { Platform } from '../../src/domain/episode.ts';
import type { Card } from '../../src/messages/outbound.ts';
import type { DeliveryError } from '../../src/ports/chat.ts';
import { type ChatPlatform } from '../../src/ports/chat.ts';

export interface Delivered {
  kind: 'root' | 'thread' | 'update' | 'direct' | 'channel';
  to: string;
  messageRef: string;
  card: Card;
}

/** The one shared fake chat platform: records what was delivered, can be told to fail. */
export class FakeChat implements ChatPlatform {
  readonly delivered: Delivered[] = [];
  private counter = 0;
  /** Failures to throw on the next deliveries, in order. */
  readonly failures: DeliveryError[] = [];

  constructor(readonly platform: Platform = 'web') {}

  private record(kind: Delivered['kind'], to: string, card: Card, messageRef = `m${++this.counter}`) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.delivered.push({ kind, to, messageRef, card });
    return messageRef;
  }
  async startThread(channelRef: string, card: Card) {
    const messageRef = this.record('root', channelRef, card);
    return { threadRef: `${channelRef}/${messageRef}`, messageRef };
  }
  async postToThread(threadRef: string, card: Card) {
    return { messageRef: this.record('thread', threadRef, card) };
  }
  async updateMessage(threadRef: string, messageRef: string, card: Card) {
    this.record('update', `${threadRef}#${messageRef}`, card, messageRef);
  }
  async sendDirect(platformUserId: string, card: Card) {
    return { messageRef: this.record('direct', platformUserId, card) };
  }
  async updateDirect(messageRef: string, card: Card) {
    this.record('update', messageRef, card, messageRef);
  }
  async postToChannel(channelRef: string, card: Card) {
    return { messageRef: this.record('channel', channelRef, card) };
  }
  titles(kind?: Delivered['kind']) {
    return this.delivered.filter((d) => !kind || d.kind === kind).map((d) => d.card.title);
  }
}
