import { plannedPings } from '../../domain/ladder.ts';
import { inOfficeHours } from '../../domain/office-hours.ts';
import { callText } from '../../messages/calls.ts';
import { checklistCard, markedAsDrill } from '../../messages/cards.ts';
import { EPISODE_CARD_KEY, type Card } from '../../messages/outbound.ts';
import type { HomeRecord, StaffRecord, Tx } from '../../ports/store.ts';
import type { StageId } from '../../protocol/schema.ts';
import { loadScope, type EngineDeps, type EpisodeScope } from './context.ts';
import { currentEpisodeCard, type Due } from './episode-card.ts';

/** Queues a card for the episode's thread (delivered by the outbox after the commit). */
export async function postToThread(tx: Tx, scope: EpisodeScope, card: Card, at: Date, cardKey?: string): Promise<void> {
  const { episode } = scope;
  await tx.outbox.enqueue({
    homeId: episode.homeId,
    episodeId: episode.id,
    platform: episode.platform,
    message: {
      target: { kind: 'thread' },
      card: episode.isDrill ? markedAsDrill(card) : card,
      ...(cardKey ? { cardKey } : {}),
    },
    at,
  });
}

/** Key under which a stage's checklist card is updated in place. */
export const checklistKey = (stage: StageId) => `checklist:${stage}`;

/** Posts (or updates in place) the checklist card of a stage. */
export async function showChecklist(
  tx: Tx,
  scope: EpisodeScope,
  stage: StageId,
  at: Date,
  staff?: StaffRecord[],
): Promise<void> {
  const people = staff ?? (await tx.staff.listForHome(scope.home.id));
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  const hours = scope.home.policy.officeHours;
  const officeNow = inOfficeHours(at, scope.home.timeZone, hours);
  const calls = new Map(
    scope.protocol.checklist.flatMap((item) => {
      const text = callText(item.call, scope.child.plan.contacts, officeNow, hours);
      return text ? [[item.id, text] as const] : [];
    }),
  );
  await postToThread(
    tx,
    scope,
    checklistCard(scope.episode, scope.protocol, stage, scope.home.timeZone, names, calls),
    at,
    checklistKey(stage),
  );
}

/**
 * Brings the card at the top of the thread up to date. Queued like any other card: an update not
 * yet sent is replaced by this one, and one that changes nothing is not sent.
 */
export async function refreshEpisodeCard(
  tx: Tx,
  scope: EpisodeScope,
  at: Date,
  known: { staff?: StaffRecord[]; pending?: Due[] } = {},
): Promise<void> {
  const staff = known.staff ?? (await tx.staff.listForHome(scope.home.id));
  const pending = known.pending ?? (await tx.pings.pending(scope.episode.id));
  await postToThread(tx, scope, currentEpisodeCard(scope, staff, pending, at), at, EPISODE_CARD_KEY);
}

/**
 * Brings the episode's stored pings in line with what the ladder says now: new reasons get a
 * ping, pending pings whose reason is gone are cancelled. Keys make it safe to run any number
 * of times. Returns the reminders pending afterwards.
 */
export async function reschedule(tx: Tx, scope: EpisodeScope, now: Date): Promise<Due[]> {
  const { episode } = scope;
  // A closed episode keeps the reminders of its outstanding follow-ups (the ladder knows which).
  const plan = plannedPings(episode, scope.ladder, now);
  const wanted = new Set(plan.map((p) => p.key));
  // Only the ladder's own pings are reconciled here; approval reminders follow their approval.
  const ladderRules = new Set(scope.protocol.ladder.map((r) => r.id));
  const pending = await tx.pings.pending(episode.id);
  const stale = pending.filter((p) => ladderRules.has(p.rule) && !wanted.has(p.key));
  if (stale.length > 0)
    await tx.pings.cancel(
      stale.map((p) => p.id),
      'reason no longer holds',
      now,
    );
  const existing = await tx.pings.keys(episode.id);
  const after: Due[] = pending.filter((p) => !stale.includes(p));
  for (const p of plan) {
    if (existing.has(p.key)) continue;
    after.push(p);
    await tx.pings.insert({
      key: p.key,
      homeId: episode.homeId,
      episodeId: episode.id,
      rule: p.rule,
      audience: p.audience,
      dueAt: p.dueAt,
      createdAt: now,
    });
  }
  return after;
}

/**
 * After a change to an episode: reload it, refresh the checklist cards named, reschedule, and
 * bring the episode's card at the top of the thread up to date.
 * Every use case that changes an episode ends here, inside its transaction.
 */
export async function afterChange(
  tx: Tx,
  deps: EngineDeps,
  episodeId: string,
  at: Date,
  stages: StageId[] = [],
): Promise<EpisodeScope> {
  const scope = await loadScope(tx, deps, episodeId);
  const staff = await tx.staff.listForHome(scope.home.id);
  for (const stage of stages) await showChecklist(tx, scope, stage, at, staff);
  const pending = await reschedule(tx, scope, at);
  await refreshEpisodeCard(tx, scope, at, { staff, pending });
  return scope;
}

/** A direct copy of a card that can be updated later, with the others, under its key. */
export interface CopyOf {
  episodeId: string | null;
  /** Unique to the thing the card is about (an approval, a handover). */
  key: string;
}
/** Each send is its own copy (a reminder sent again is a new message), all found by the prefix. */
const copyKey = (copy: CopyOf, platform: string, platformUserId: string, at: Date) =>
  `${copy.key}@${platform}:${platformUserId}:${at.getTime()}`;

/**
 * Sends a card directly to each person, on every platform the home's episodes run on. With
 * `copy`, each copy is kept under a key so `updateCopies` can bring them all up to date later.
 * Returns how many messages were queued (none when nobody has an identity on those platforms).
 */
export async function sendDirect(
  tx: Tx,
  home: HomeRecord,
  people: StaffRecord[],
  card: Card,
  at: Date,
  copy?: CopyOf,
): Promise<number> {
  const platforms = new Set(home.channels.map((c) => c.platform));
  let queued = 0;
  for (const person of people) {
    for (const identity of await tx.staff.identities(person.id)) {
      if (!platforms.has(identity.platform)) continue;
      const target = { kind: 'direct' as const, staffId: person.id, platformUserId: identity.platformUserId };
      await tx.outbox.enqueue({
        homeId: home.id,
        episodeId: copy?.episodeId ?? null,
        platform: identity.platform,
        message: {
          target,
          card,
          ...(copy ? { cardKey: copyKey(copy, identity.platform, identity.platformUserId, at) } : {}),
        },
        at,
      });
      queued += 1;
    }
  }
  return queued;
}

/**
 * Updates every direct copy of a card sent with `copy` (a decided approval, an accepted handover):
 * each person's copy is redrawn by `redraw` from what it shows now.
 */
export async function updateCopies(
  tx: Tx,
  homeId: string,
  copy: CopyOf,
  at: Date,
  redraw: (card: Card) => Card,
): Promise<void> {
  for (const sent of await tx.outbox.copies(copy.episodeId, `${copy.key}@`)) {
    await tx.outbox.enqueue({
      homeId,
      episodeId: copy.episodeId,
      platform: sent.platform,
      message: { ...sent.message, card: redraw(sent.message.card) },
      at,
    });
  }
}
