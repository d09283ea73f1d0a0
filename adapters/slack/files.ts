import type { WebClient } from '@slack/web-api';
import type { Card, OutboundFile } from '../../src/messages/outbound.ts';
import { fallbackText, renderCard } from './blocks.ts';

/**
 * Sends files to one person only: a message to their user id opens (or finds) the app's direct
 * message with them, and its channel id (D…) is where files.uploadV2 shares the files — the
 * upload API does not take a user id.
 */
export async function sendFilesPrivately(
  client: WebClient,
  userId: string,
  card: Card,
  files: OutboundFile[],
): Promise<void> {
  const opened = await client.chat.postMessage({
    channel: userId,
    text: fallbackText(card),
    blocks: renderCard(card)[0] as never,
    unfurl_links: false,
  });
  const channel = String(opened.channel ?? userId);
  await client.files.uploadV2({
    channel_id: channel,
    file_uploads: files.map((f) => ({ file: Buffer.from(f.bytes), filename: f.name, title: f.name })),
  });
}
