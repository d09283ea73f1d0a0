import type { Platform } from '../../domain/episode.ts';
import { episodesHeading, statusLine } from '../../messages/cards.ts';
import type { Card } from '../../messages/outbound.ts';
import type { Tx } from '../../ports/store.ts';

/** `list`: a one-line status of each open or returned episode in the home behind a channel. */
export async function listEpisodes(tx: Tx, platform: Platform, channelRef: string, now: Date): Promise<Card | null> {
  const home = await tx.homes.findByChannel(platform, channelRef);
  if (!home) return null;
  const episodes = await tx.episodes.listActive(home.id);
  const text = episodes.length === 0 ? 'No open episodes.' : episodes.map((e) => `• ${statusLine(e, now)}`).join('\n');
  return {
    title: episodesHeading(home.name, episodes),
    tone: 'info',
    blocks: [{ type: 'text', text }],
    fallback: text,
  };
}

/** The channels homes have on a platform, with the homes' names. */
export async function channelsOf(tx: Tx, platform: Platform): Promise<{ channelRef: string; homeName: string }[]> {
  return (await tx.homes.list()).flatMap((h) =>
    h.channels.filter((c) => c.platform === platform).map((c) => ({ channelRef: c.channelRef, homeName: h.name })),
  );
}
