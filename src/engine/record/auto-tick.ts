import type { StaffRecord, Tx } from '../../ports/store.ts';
import type { EpisodeScope } from '../base/context.ts';

/**
 * Marks items done as a side effect of a structured fact (a police report ticks "report to
 * police"). Returns the items it ticked, for the entry's data; items already dealt with stay as
 * they were.
 */
export async function autoTick(
  tx: Tx,
  scope: EpisodeScope,
  itemIds: (string | undefined)[],
  staff: StaffRecord,
  at: Date,
): Promise<string[]> {
  const ticked: string[] = [];
  for (const itemId of itemIds) {
    if (!itemId || scope.episode.checklist[itemId] || !scope.protocol.checklist.some((i) => i.id === itemId)) continue;
    await tx.episodes.setItem(scope.episode.id, itemId, { status: 'done', reason: null, byStaffId: staff.id, at });
    scope.episode.checklist[itemId] = { status: 'done', reason: null, byStaffId: staff.id, at };
    ticked.push(itemId);
  }
  return ticked;
}

/**
 * Marks the open items of these stages not applicable, with a reason (on return, the search is
 * over). Items that may never be marked so stay open. Returns the items it marked.
 */
export async function markLapsed(
  tx: Tx,
  scope: EpisodeScope,
  stages: string[],
  reason: string,
  staff: StaffRecord,
  at: Date,
): Promise<string[]> {
  const lapsed = scope.protocol.checklist.filter(
    (i) => stages.includes(i.stage) && i.canBeNotApplicable && !scope.episode.checklist[i.id],
  );
  return markNotApplicable(
    tx,
    scope,
    lapsed.map((i) => i.id),
    reason,
    staff,
    at,
  );
}

/**
 * Marks these items not applicable because a fact in the record rules them out (the police were
 * never told, so there is no one to tell of the return), even items a person may not mark so.
 * Items already dealt with, or not in the protocol, stay as they were. Returns those it marked.
 */
export async function markNotApplicable(
  tx: Tx,
  scope: EpisodeScope,
  itemIds: string[],
  reason: string,
  staff: StaffRecord,
  at: Date,
): Promise<string[]> {
  const marked: string[] = [];
  for (const itemId of itemIds) {
    if (scope.episode.checklist[itemId] || !scope.protocol.checklist.some((i) => i.id === itemId)) continue;
    const state = { status: 'not_applicable' as const, reason, byStaffId: staff.id, at };
    await tx.episodes.setItem(scope.episode.id, itemId, state);
    scope.episode.checklist[itemId] = state;
    marked.push(itemId);
  }
  return marked;
}

/** The stages whose checklist cards show any of these items. */
export function stagesOf(scope: EpisodeScope, itemIds: string[]) {
  return [
    ...new Set(
      itemIds.map((id) => scope.protocol.checklist.find((i) => i.id === id)?.stage).filter((s) => s !== undefined),
    ),
  ];
}
