import type { Protocol } from '../protocol/schema.ts';
import { addEpisodeMinutes, type Episode } from './episode.ts';

/**
 * What must be in the record before an episode can close. Returns plain descriptions of what is
 * missing (empty when complete), and, separately, what is still outstanding but does not block.
 */
export function closureGaps(e: Episode, protocol: Protocol): { blocking: string[]; outstanding: string[] } {
  const blocking: string[] = [];
  if (e.status === 'open') blocking.push('the child’s return');
  else {
    if (e.police && !e.policeToldOfReturnAt) blocking.push('telling the police the child is back');
    if (e.rhi.status === 'none') blocking.push('an offer of a return home interview');
    for (const item of protocol.checklist) {
      if (item.stage === 'return' && !item.canBeNotApplicable && !e.checklist[item.id])
        blocking.push(item.label.toLowerCase());
    }
  }
  const outstanding = protocol.checklist
    .filter((item) => !e.checklist[item.id] && !blocking.includes(item.label.toLowerCase()))
    .map((item) => item.label);
  return { blocking, outstanding };
}

/** One piece of after-return work still to be recorded, and when it is due. */
export interface FollowUp {
  id: 'rhi' | 'safe_and_well' | 'risk_assessment';
  what: string;
  /** The deadline: the national 72 hours for the interview, the protocol's reminder time otherwise. */
  dueBy: Date;
  /** Whether the deadline is a statutory one (the return home interview's 72 hours). */
  statutory: boolean;
}

/** When the rung that watches this condition first fires after the return, if the protocol has one. */
function reminderAfterReturn(e: Episode, protocol: Protocol, when: string): Date | null {
  const rung = protocol.ladder.find((r) => r.when === when && r.anchor === 'returned');
  return rung && e.returnedAt ? addEpisodeMinutes(e, e.returnedAt, rung.afterMinutes) : null;
}

/**
 * The statutory and agreed work after a return that is not in the record yet, with when each is
 * due. Closing an episode never stops it: each keeps its reminders until it is recorded.
 */
export function followUpsDue(e: Episode, protocol: Protocol): FollowUp[] {
  if (!e.returnedAt) return [];
  const due: FollowUp[] = [];
  if (e.rhi.status !== 'held' && e.rhi.status !== 'reoffered')
    due.push({
      id: 'rhi',
      what: 'the return home interview (held, or refused and offered again)',
      dueBy: addEpisodeMinutes(e, e.returnedAt, protocol.rhiWithinHours * 60),
      statutory: true,
    });
  if (e.police && !e.safeAndWellAt)
    due.push({
      id: 'safe_and_well',
      what: 'the police safe and well check',
      dueBy: reminderAfterReturn(e, protocol, 'safeAndWellNotRecorded') ?? e.returnedAt,
      statutory: false,
    });
  if (!e.riskAssessmentUpdatedAt)
    due.push({
      id: 'risk_assessment',
      what: 'the update of the child’s risk assessment',
      dueBy: reminderAfterReturn(e, protocol, 'riskAssessmentNotUpdated') ?? e.returnedAt,
      statutory: false,
    });
  return due;
}

/** What `followUpsDue` lists, as plain descriptions. */
export function outstandingFollowUps(e: Episode, protocol: Protocol): string[] {
  return followUpsDue(e, protocol).map((f) => f.what);
}
