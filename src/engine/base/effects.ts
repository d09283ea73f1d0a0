import { plannedPings } from '../../domain/ladder.ts';
import { checklistCard } from '../../messages/cards.ts';
import type { Card } from '../../messages/outbound.ts';
import type { HomeRecord, StaffRecord, Tx } from '../../ports/store.ts';
import type { StageId } from '../../protocol/schema.ts';
import { loadScope, type EngineDeps, type EpisodeScope } from './context.ts';

/** Queues a card for the episode's thread (delivered by the outbox after the commit). */
export async function postToThread(tx: Tx, scope: EpisodeScope, card: Card, at: Date, cardKey?: string): Promise<void> {
  const { episode } = scope;
  await tx.outbox.enqueue({
    homeId: episode.homeId,
    episodeId: episode.id,
    platform: episode.platform,
    message: { target: { kind: 'thread' }, card, ...(cardKey ? { cardKey } : {}) },
    at,
  });
}

/** Key under which a stage's checklist card is updated in place. */
export const checklistKey = (stage: StageId) => `checklist:${stage}`;

/** Posts (or updates in place) the checklist card of a stage. */
export async function showChecklist(tx: Tx, scope: EpisodeScope, stage: StageId, at: Date): Promise<void> {
  await postToThread(
    tx,
    scope,
    checklistCard(scope.episode, scope.protocol, stage, scope.home.timeZone),
    at,
    checklistKey(stage),
  );
}

/**
 * Brings the episode's stored pings in line with what the ladder says now: new reasons get a
 * ping, pending pings whose reason is gone are cancelled. Keys make it safe to run any number
 * of times.
 */
export async function reschedule(tx: Tx, scope: EpisodeScope, now: Date): Promise<void> {
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
  for (const p of plan) {
    if (existing.has(p.key)) continue;
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
}

/**
 * After a change to an episode: reload it, refresh the checklist cards named, and reschedule.
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
  for (const stage of stages) await showChecklist(tx, scope, stage, at);
  await reschedule(tx, scope, at);
  return scope;
}

/** Sends a card directly to each person, on every platform the home's episodes run on. */
export async function sendDirect(tx: Tx, home: HomeRecord, people: StaffRecord[], card: Card, at: Date): Promise<void> {
  const platforms = new Set(home.channels.map((c) => c.platform));
  for (const person of people) {
    for (const identity of await tx.staff.identities(person.id)) {
      if (!platforms.has(identity.platform)) continue;
      await tx.outbox.enqueue({
        homeId: home.id,
        episodeId: null,
        platform: identity.platform,
        message: { target: { kind: 'direct', staffId: person.id, platformUserId: identity.platformUserId }, card },
        at,
      });
    }
  }
}
