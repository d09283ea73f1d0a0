import { inOfficeHours } from '../../domain/office-hours.ts';
import type { StaffRecord } from '../../ports/store.ts';
import type { Audience } from '../../protocol/schema.ts';
import type { EpisodeScope } from './context.ts';

/** How a reminder names its audience when there is nobody in particular to name. */
export const audienceWords: Record<Audience, string> = {
  thread: 'everyone on this episode',
  managers: 'the managers',
  on_call: 'the on-call staff',
  placement: 'the foster carers and their supervising social worker',
};

/**
 * The people a reminder is addressed to, from the home's staff: on-call staff (or, failing that,
 * managers), or managers, or — in foster care — the child's carers and their supervising social
 * worker, with the agency's on-call outside office hours (the on-call alone if the child has no
 * placement on file). A reminder for the thread names nobody in particular.
 */
export function audienceOf(
  scope: Pick<EpisodeScope, 'home'> & Partial<Pick<EpisodeScope, 'child'>>,
  staff: StaffRecord[],
  audience: Audience,
  at?: Date,
): StaffRecord[] {
  if (audience === 'thread') return [];
  const active = staff.filter((s) => s.active);
  const pick = (ids: string[]) => ids.map((id) => active.find((s) => s.id === id)).filter((s) => s !== undefined);
  const managers = active.filter((s) => scope.home.policy.approverRoles.includes(s.role));
  if (audience === 'managers') return managers;
  const placement = scope.child?.placement;
  if (audience === 'placement' && placement) {
    const home = scope.home;
    const outOfHours = at !== undefined && !inOfficeHours(at, home.timeZone, home.policy.officeHours);
    const people = pick([
      ...new Set([...placement.carers, placement.supervisingSocialWorker, ...(outOfHours ? home.onCall : [])]),
    ]);
    if (people.length > 0) return people;
  }
  const onCall = pick(scope.home.onCall);
  return onCall.length > 0 ? onCall : managers;
}

/** The audience in words: the people's names, or what the audience is. */
export const audienceNames = (people: StaffRecord[], audience: Audience) =>
  people.length > 0 ? people.map((p) => p.displayName).join(', ') : audienceWords[audience];
