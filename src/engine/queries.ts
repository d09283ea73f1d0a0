import type { Platform } from '../domain/episode.ts';
import { statusCard, statusLine } from '../messages/cards.ts';
import type { Card } from '../messages/outbound.ts';
import type { Tx } from '../ports/store.ts';
import { effectiveProtocol } from '../protocol/policy.ts';
import type { Role } from '../protocol/schema.ts';
import { fail, ok, type EngineDeps, type Result } from './context.ts';

/** A home as a platform sees it: who works there (by their id on that platform) and its episodes. */
export interface HomeView {
  homeId: string;
  name: string;
  timeZone: string;
  people: { userId: string; name: string; role: Role }[];
  children: string[];
  episodes: { id: string; alias: string; status: string; isDrill: boolean; line: string; threadRef: string | null }[];
}

/** Read-only look at the home behind a channel (the playground's sidebar, App Home tabs). */
export async function homeView(
  tx: Tx,
  deps: EngineDeps,
  platform: Platform,
  channelRef: string,
): Promise<HomeView | null> {
  const home = await tx.homes.findByChannel(platform, channelRef);
  if (!home) return null;
  const now = deps.clock.now();
  const people: HomeView['people'] = [];
  for (const s of await tx.staff.listForHome(home.id)) {
    if (!s.active) continue;
    const identity = (await tx.staff.identities(s.id)).find((i) => i.platform === platform);
    if (identity) people.push({ userId: identity.platformUserId, name: s.displayName, role: s.role });
  }
  const episodes = (await tx.episodes.listActive(home.id)).map((e) => ({
    id: e.id,
    alias: e.alias,
    status: e.status,
    isDrill: e.isDrill,
    line: statusLine(e, now),
    threadRef: e.threadRef,
  }));
  const children = (await tx.children.listForHome(home.id)).filter((c) => c.active).map((c) => c.alias);
  return { homeId: home.id, name: home.name, timeZone: home.timeZone, people, children, episodes };
}

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
  const episode = await tx.episodes.findOpenForChild(child.id);
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
  const protocol = effectiveProtocol(deps.protocol, home.policy);
  return ok({ episodeId: episode.id, reply: statusCard(episode, protocol, home.timeZone, deps.clock.now(), upcoming) });
}
