/**
 * The bare-`missing` form is not tied to an episode but to the channel whose home the child
 * belongs to; its value carries that channel (Teams channel ids hold no `|`).
 */
const OPEN_EPISODE = 'open_episode';

export const openEpisodeValue = (channelRef: string) => `${OPEN_EPISODE}|${channelRef}`;

/** The channel of an open-episode form value, or null for any other form. */
export function parseOpenEpisodeValue(value: string): string | null {
  const [kind, channelRef, ...rest] = value.split('|');
  return kind === OPEN_EPISODE && channelRef && rest.length === 0 ? channelRef : null;
}
