import { randomUUID } from 'node:crypto';
import type { ChatPlatform } from '../../src/ports/chat.ts';

/**
 * The playground is its own chat platform: a delivery only has to be accepted, because the page
 * reads what was delivered back from the outbox (src/store/timeline.ts). Thread and message refs
 * are opaque ids this adapter makes up.
 */
export function webChat(): ChatPlatform {
  const ref = () => randomUUID();
  return {
    platform: 'web',
    async startThread(channelRef) {
      return { threadRef: `${channelRef}/${ref()}`, messageRef: ref() };
    },
    async postToThread() {
      return { messageRef: ref() };
    },
    async updateMessage() {},
    async sendDirect() {
      return { messageRef: ref() };
    },
    async updateDirect() {},
    async postToChannel() {
      return { messageRef: ref() };
    },
  };
}
