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
    if (e.police && !e.police.reference)
      blocking.push('the police reference (the report was recorded with it to follow)');
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
  id: 'rhi' | 'safe_and_well' | 'risk_assessment' | 'reg40' | 'care_plan_review';
  what: string;
  /** The deadline: the national 72 hours for the interview, the protocol's reminder time otherwise. */
  dueBy: Date;
  /** Whether the deadline is a statutory one (the return home interview's 72 hours). */
  statutory: boolean;
}

/**
 * The checklist items that stay open to record after closing, while they are follow-ups still
 * due: the Regulation 40 decision, and the care-plan review asked for after a repeat episode.
 */
export const FOLLOW_UP_ITEMS = { reg40: 'ofsted-decision', carePlanReview: 'care-plan-review' } as const;

/** Whether this episode came within weeks of an earlier one (worked out at opening). */
export const isRepeat = (e: Episode) => e.riskFactors.includes('repeat-episodes');

/** When the rung that watches this condition first fires after the return, if the protocol has one. */
function reminderAfterReturn(e: Episode, protocol: Protocol, when: string): Date | null {
  const rung = protocol.ladder.find((r) => r.when === when && r.anchor === 'returned');
  return rung && e.returnedAt ? addEpisodeMinutes(e, e.returnedAt, rung.afterMinutes) : null;
}

/** The limit on telling Ofsted where the procedure counts it from the opening (foster care's 24 hours). */
function ofstedDueBy(e: Episode, protocol: Protocol): Date | null {
  const rung = protocol.ladder.find((r) => r.when === 'ofstedDecisionNotRecorded');
  if (!rung) return null;
  const from = rung.anchor === 'returned' ? e.returnedAt : e.openedAt;
  return from ? addEpisodeMinutes(e, from, rung.deadlineMinutes ?? rung.afterMinutes) : null;
}

/**
 * The statutory and agreed work after a return that is not in the record yet, with when each is
 * due: the statutory first, then soonest first. Closing an episode never stops it: each keeps its reminders until it is recorded.
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
  if (!e.checklist[FOLLOW_UP_ITEMS.reg40])
    due.push({
      id: 'reg40',
      what: protocol.ofstedDecision,
      dueBy: ofstedDueBy(e, protocol) ?? reminderAfterReturn(e, protocol, 'reg40DecisionNotRecorded') ?? e.returnedAt,
      statutory: false,
    });
  if (isRepeat(e) && !e.checklist[FOLLOW_UP_ITEMS.carePlanReview])
    due.push({
      id: 'care_plan_review',
      what: 'asking for a care-plan review after a repeat episode',
      dueBy: reminderAfterReturn(e, protocol, 'carePlanReviewNotAsked') ?? e.returnedAt,
      statutory: false,
    });
  // The statutory clock first, then whatever is due soonest.
  return due.sort((a, b) => Number(b.statutory) - Number(a.statutory) || a.dueBy.getTime() - b.dueBy.getTime());
}

/** Whether an item may still be recorded on this episode once it is closed: a follow-up still due. */
export function isDueFollowUpItem(e: Episode, itemId: string): boolean {
  if (!e.returnedAt || e.checklist[itemId]) return false;
  return itemId === FOLLOW_UP_ITEMS.reg40 || (itemId === FOLLOW_UP_ITEMS.carePlanReview && isRepeat(e));
}

/** What `followUpsDue` lists, as plain descriptions. */
export function outstandingFollowUps(e: Episode, protocol: Protocol): string[] {
  return followUpsDue(e, protocol).map((f) => f.what);
}
