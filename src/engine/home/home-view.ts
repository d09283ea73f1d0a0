import type { Episode, Platform } from '../../domain/episode.ts';
import { followUpsDue } from '../../domain/closure.ts';
import { followUpsText, statusLine } from '../../messages/cards.ts';
import type { HomeRecord, PingRecord, Tx } from '../../ports/store.ts';
import type { Protocol, Role, StageId } from '../../protocol/schema.ts';
import { homeProtocol, type EngineDeps } from '../base/context.ts';

/** One episode as a list or dashboard shows it. */
export interface EpisodeSummary {
  id: string;
  alias: string;
  status: string;
  classification: string;
  riskLevel: string;
  isDrill: boolean;
  /** Since when the child has been missing (last seen, or opened). */
  since: Date;
  /** The stage the episode is in: the first with open items while missing, or after return. */
  stage: StageId;
  /** The next reminder due, if any: what (rung id) and when. */
  nextDue: { rule: string; dueAt: Date } | null;
  /** After the return: what is still due and by when, the statutory first ("Due after the return: …"). */
  followUps: string | null;
  line: string;
  threadRef: string | null;
}

/** A home as a platform sees it: who works there (by their id on that platform) and its episodes. */
export interface HomeView {
  homeId: string;
  name: string;
  timeZone: string;
  /** The home's channel on this platform, if it has one. */
  channelRef: string | null;
  people: { userId: string; name: string; role: Role }[];
  children: string[];
  episodes: EpisodeSummary[];
}

function currentStage(e: Episode, protocol: Protocol): StageId {
  const open = (stage: StageId) => protocol.checklist.some((i) => i.stage === stage && !e.checklist[i.id]);
  if (e.status === 'open') return (['establish', 'notify'] as const).find(open) ?? 'search';
  return open('return') ? 'return' : 'review';
}

async function viewOf(tx: Tx, deps: EngineDeps, home: HomeRecord, platform: Platform): Promise<HomeView> {
  const now = deps.clock.now();
  const protocol = homeProtocol(deps, home);
  // A fixed number of reads however many people and episodes the home has.
  const identities = await tx.staff.identitiesInHome(home.id);
  const people: HomeView['people'] = [];
  for (const s of await tx.staff.listForHome(home.id)) {
    if (!s.active) continue;
    const identity = identities.get(s.id)?.find((i) => i.platform === platform);
    if (identity) people.push({ userId: identity.platformUserId, name: s.displayName, role: s.role });
  }
  const active = await tx.episodes.listActive(home.id);
  const nextOf = new Map<string, PingRecord>();
  for (const p of await tx.pings.ofEpisodes(
    active.map((e) => e.id),
    'pending',
  ))
    if (p.episodeId && !nextOf.has(p.episodeId)) nextOf.set(p.episodeId, p);
  const episodes: EpisodeSummary[] = [];
  for (const e of active) {
    const next = nextOf.get(e.id);
    const due = followUpsDue(e, protocol);
    episodes.push({
      id: e.id,
      alias: e.alias,
      status: e.status,
      classification: e.classification,
      riskLevel: e.riskLevel,
      isDrill: e.isDrill,
      since: e.lastSeenAt ?? e.openedAt,
      stage: currentStage(e, protocol),
      nextDue: next ? { rule: next.rule, dueAt: next.dueAt } : null,
      followUps: due.length > 0 ? followUpsText(due, home.timeZone) : null,
      line: statusLine(e, now),
      threadRef: e.threadRef,
    });
  }
  const children = (await tx.children.listForHome(home.id)).filter((c) => c.active).map((c) => c.alias);
  const channelRef = home.channels.find((c) => c.platform === platform)?.channelRef ?? null;
  return { homeId: home.id, name: home.name, timeZone: home.timeZone, channelRef, people, children, episodes };
}

/** Read-only look at the home behind a channel (the playground's sidebar, lists). */
export async function homeView(
  tx: Tx,
  deps: EngineDeps,
  platform: Platform,
  channelRef: string,
): Promise<HomeView | null> {
  const home = await tx.homes.findByChannel(platform, channelRef);
  return home ? viewOf(tx, deps, home, platform) : null;
}

/** The home a member of staff works in, as they see it (Slack App Home, Teams personal tab). */
export async function homeViewForUser(
  tx: Tx,
  deps: EngineDeps,
  platform: Platform,
  userId: string,
): Promise<HomeView | null> {
  const staff = await tx.staff.findByIdentity(platform, userId);
  if (!staff || !staff.active) return null;
  const home = await tx.homes.get(staff.homeId);
  return home ? viewOf(tx, deps, home, platform) : null;
}
