import { noticeCard } from '../../messages/cards.ts';
import { deliveryRefusedText } from '../../messages/held-texts.ts';
import type { Logger } from '../../ports/logger.ts';
import type { OutboxRecord, Tx } from '../../ports/store.ts';
import { audienceOf } from '../base/audience.ts';
import { sendDirect } from '../base/effects.ts';

/** One alert per home and platform in this long, however many messages are refused meanwhile. */
const ALERT_EVERY_MS = 3_600_000;

/**
 * A platform refused a message for good (the bot removed from the team, the channel archived):
 * the home's managers are told through another route they have (a direct message on another
 * platform the home uses, which in the playground is its banner of direct messages), once an
 * hour; with no other route, the log says so at error level, naming the home and the episode.
 */
export async function alertRefusedDelivery(
  tx: Tx,
  item: OutboxRecord,
  reason: string,
  at: Date,
  logger: Logger,
): Promise<number> {
  // A direct message refused (one person unreachable) says nothing about the home's channel.
  if (item.message.target.kind === 'direct') return 0;
  const home = await tx.homes.get(item.homeId);
  if (!home) return 0;
  const slot = Math.floor(at.getTime() / ALERT_EVERY_MS);
  if (!(await tx.events.markProcessed(`delivery-refused:${home.id}:${item.platform}:${slot}`, at))) return 0;
  const episode = item.episodeId ? await tx.episodes.get(item.episodeId) : null;
  const card = noticeCard(deliveryRefusedText(item.platform, home.name, episode?.alias ?? null, reason), 'urgent');
  // On any other platform the home uses (an instance that runs it delivers there).
  const elsewhere = { ...home, channels: home.channels.filter((c) => c.platform !== item.platform) };
  const managers = audienceOf({ home }, await tx.staff.listForHome(home.id), 'managers');
  const sent = await sendDirect(tx, elsewhere, managers, card, at);
  if (sent === 0)
    logger.error(
      { homeId: home.id, episodeId: item.episodeId, platform: item.platform, err: reason },
      'a platform refused delivery for good and the managers have no other route: reminders there are not arriving',
    );
  return sent;
}
