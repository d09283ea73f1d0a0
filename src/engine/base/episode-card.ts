import { policeDueBy } from '../../domain/ladder.ts';
import { episodeCard } from '../../messages/episode-card.ts';
import type { StaffRecord } from '../../ports/store.ts';
import { audienceNames, audienceOf } from './audience.ts';
import type { EpisodeScope } from './context.ts';

/** A reminder the schedule holds, as the card needs it. */
export type Due = { rule: string; dueAt: Date };

/** What the card shows next: the earliest reminder the schedule holds, in words. */
function nextDue(scope: EpisodeScope, staff: StaffRecord[], pending: Due[]) {
  const rungs = new Map(scope.protocol.ladder.map((r) => [r.id, r]));
  const next = pending.filter((p) => rungs.has(p.rule)).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  if (!next) return null;
  const rung = rungs.get(next.rule)!;
  return {
    title: rung.title ?? rung.id.replaceAll('-', ' '),
    dueAt: next.dueAt,
    // Whom it will go to when it is due (the agency's on-call joins a placement's outside office hours).
    forWhom: audienceNames(audienceOf(scope, staff, rung.audience, next.dueAt), rung.audience),
  };
}

/** The episode's card as it stands now. */
export function currentEpisodeCard(scope: EpisodeScope, staff: StaffRecord[], pending: Due[], at: Date) {
  const e = scope.episode;
  return episodeCard({
    episode: e,
    protocol: scope.protocol,
    timeZone: scope.home.timeZone,
    now: at,
    openedBy: staff.find((s) => s.id === e.openedByStaffId)?.displayName ?? 'a member of staff',
    next: nextDue(scope, staff, pending),
    policeDueBy: policeDueBy(e, scope.ladder),
  });
}
