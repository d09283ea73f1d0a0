import type { Platform } from '../../domain/episode.ts';
import { statusCard } from '../../messages/cards.ts';
import { formatTime } from '../../messages/format.ts';
import type { Card } from '../../messages/outbound.ts';
import type { Tx } from '../../ports/store.ts';
import { fail, homeProtocol, ok, type EngineDeps, type Result } from '../base/context.ts';

/** `status <child>`: where the child's open episode stands. */
export async function episodeStatus(
  tx: Tx,
  deps: EngineDeps,
  platform: Platform,
  channelRef: string,
  alias: string,
): Promise<Result> {
  const home = await tx.homes.findByChannel(platform, channelRef);
  if (!home) return fail('unknown_home');
  const child = await tx.children.findByAlias(home.id, alias.trim());
  if (!child) {
    const known = (await tx.children.listForHome(home.id)).filter((c) => c.active).map((c) => c.alias);
    return fail('unknown_child', { alias: alias.trim().slice(0, 40), known });
  }
  // The missing episode leads; a returned one whose follow-ups are still due comes after it.
  const active = await tx.episodes.listActiveForChild(child.id);
  const episode = active.find((e) => e.status === 'open') ?? active.at(-1);
  if (!episode)
    return ok({
      reply: {
        title: `${child.alias} has no open episode`,
        tone: 'info',
        blocks: [{ type: 'text', text: `${child.alias} has no open episode.` }],
        fallback: `${child.alias} has no open episode.`,
      } satisfies Card,
    });
  const upcoming = await tx.pings.pending(episode.id);
  const protocol = homeProtocol(deps, home);
  const card = statusCard(episode, protocol, home.timeZone, deps.clock.now(), upcoming);
  const others = active.filter((e) => e.id !== episode.id);
  if (others.length > 0) {
    const text = others
      .map(
        (e) =>
          `An earlier episode (returned ${formatTime(e.returnedAt ?? e.openedAt, home.timeZone)}) is still open for its follow-ups: see its thread.`,
      )
      .join('\n');
    card.blocks.push({ type: 'text', text });
    card.fallback += ` ${text}`;
  }
  return ok({ episodeId: episode.id, reply: card });
}
