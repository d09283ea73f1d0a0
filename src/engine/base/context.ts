import type { Author, Episode } from '../../domain/episode.ts';
import { isDueFollowUpItem } from '../../domain/closure.ts';
import type { LadderContext } from '../../domain/ladder.ts';
import type { Card, OutboundFile } from '../../messages/outbound.ts';
import type { EngineError, ErrorCode } from '../../messages/texts.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ChildRecord, HomeRecord, StaffRecord, Store, Tx } from '../../ports/store.ts';
import { effectiveProtocol } from '../../protocol/policy.ts';
import type { ProtocolBook } from '../../protocol/protocols.ts';
import type { Protocol } from '../../protocol/schema.ts';
import type { Actor } from '../commands/commands.ts';

/** What every use case is given. */
export interface EngineDeps {
  store: Store;
  clock: Clock;
  /** The procedure of each kind of service (children's home, fostering). */
  protocols: ProtocolBook;
  /** The bot's public base URL, for download links (relative links when not set). */
  publicUrl?: string;
}

/** What a use case returns: a reply for the person who acted, or an expected failure. */
export type Result =
  | {
      ok: true;
      episodeId?: string;
      reply?: Card;
      joined?: boolean;
      duplicate?: boolean;
      files?: OutboundFile[];
      /** A message was recorded under its author's platform id: the platform has not said who they are. */
      unnamed?: boolean;
      /** Nothing was queued to send (a thread message is only recorded): no delivery is due now. */
      queuedNothing?: boolean;
    }
  | { ok: false; error: EngineError };

export const ok = (r: Omit<Extract<Result, { ok: true }>, 'ok'> = {}): Result => ({ ok: true, ...r });
export const fail = (code: ErrorCode, detail?: EngineError['detail']): Result => ({
  ok: false,
  error: { code, ...(detail ? { detail } : {}) },
});

/** Thrown inside a transaction to abandon it with an expected failure (nothing is written). */
export class Refusal extends Error {
  constructor(readonly error: EngineError) {
    super(error.code);
  }
}
export const refuse = (code: ErrorCode, detail?: EngineError['detail']): never => {
  throw new Refusal({ code, ...(detail ? { detail } : {}) });
};

/** The staff member behind an actor, or a refusal: commands are only taken from known staff. */
export async function requireStaff(tx: Tx, actor: Actor): Promise<StaffRecord> {
  const staff = await tx.staff.findByIdentity(actor.platform, actor.userId);
  if (!staff || !staff.active) return refuse('unknown_staff');
  return staff;
}

export const authorOf = (staff: StaffRecord): Author => ({
  staffId: staff.id,
  name: staff.displayName,
  role: staff.role,
});
export const BOT_AUTHOR: Author = { staffId: null, name: 'Missing-episode bot', role: 'bot' };

/** Everything about one episode a use case needs, loaded together. */
export interface EpisodeScope {
  episode: Episode;
  home: HomeRecord;
  child: ChildRecord;
  protocol: Protocol;
  ladder: LadderContext;
}

export async function loadScope(tx: Tx, deps: EngineDeps, episodeId: string): Promise<EpisodeScope> {
  const episode = await tx.episodes.get(episodeId);
  if (!episode) return refuse('unknown_episode');
  const home = await tx.homes.get(episode.homeId);
  const child = await tx.children.get(episode.childId);
  if (!home || !child) return refuse('unknown_episode');
  return scopeOf(deps, episode, home, child);
}

/** An episode's scope from what has been read already (a home's episodes, read together). */
export function scopeOf(
  deps: Pick<EngineDeps, 'protocols'>,
  episode: Episode,
  home: HomeRecord,
  child: ChildRecord,
  protocol: Protocol = homeProtocol(deps, home),
): EpisodeScope {
  return {
    episode,
    home,
    child,
    protocol,
    ladder: { protocol, plan: child.plan, defaultReportAfterMinutes: home.policy.reportAfterMinutes },
  };
}

/** The procedure a home runs: its kind's, with the home's tighter timings and extra items. */
export const homeProtocol = (deps: Pick<EngineDeps, 'protocols'>, home: HomeRecord): Protocol =>
  effectiveProtocol(deps.protocols[home.kind], home.policy);

/** Loads an episode of the actor's home whose follow-ups may be recorded, closed or not. */
export async function loadForFollowUp(
  tx: Tx,
  deps: EngineDeps,
  episodeId: string,
  staff: StaffRecord,
): Promise<EpisodeScope> {
  const scope = await loadInHome(tx, deps, episodeId, staff);
  if (!scope.episode.returnedAt) return refuse('not_returned');
  return scope;
}

/** Loads an episode the actor may change: it must exist, be in the actor's home, and be open. */
export async function loadActive(
  tx: Tx,
  deps: EngineDeps,
  episodeId: string,
  staff: StaffRecord,
): Promise<EpisodeScope> {
  const scope = await loadInHome(tx, deps, episodeId, staff);
  if (scope.episode.status === 'closed') return refuse('episode_closed');
  return scope;
}

/**
 * Loads an episode the actor may record this checklist item on: open, or closed while the item
 * is a follow-up still due (the Regulation 40 decision, the care-plan review request).
 */
export async function loadForItem(
  tx: Tx,
  deps: EngineDeps,
  episodeId: string,
  staff: StaffRecord,
  item: string | undefined | ((protocol: Protocol) => string | undefined),
): Promise<EpisodeScope> {
  const scope = await loadInHome(tx, deps, episodeId, staff);
  const itemId = typeof item === 'function' ? item(scope.protocol) : item;
  if (scope.episode.status === 'closed' && !(itemId && isDueFollowUpItem(scope.episode, itemId)))
    return refuse('episode_closed');
  return scope;
}

/** An episode of the actor's own home; another home's episode is as good as unknown to them. */
async function loadInHome(tx: Tx, deps: EngineDeps, episodeId: string, staff: StaffRecord): Promise<EpisodeScope> {
  const scope = await loadScope(tx, deps, episodeId);
  if (scope.home.id !== staff.homeId) return refuse('unknown_episode');
  return scope;
}
