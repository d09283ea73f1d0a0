import type { ChildPlan } from '../protocol/plan.ts';
import type { Anchor, Audience, LadderCondition, LadderRung, Protocol } from '../protocol/schema.ts';
import { FOLLOW_UP_ITEMS, isRepeat } from './closure.ts';
import { addEpisodeMinutes, type Episode } from './episode.ts';

/** A ping the episode should have, with a key that stays the same however often it is derived. */
export interface PlannedPing {
  key: string;
  rule: string;
  audience: Audience;
  dueAt: Date;
}

/** What the ladder needs besides the episode: the protocol as the home runs it and the child's plan. */
export interface LadderContext {
  protocol: Protocol;
  plan: ChildPlan;
  /** The home's default report-after minutes, for plans that do not say. */
  defaultReportAfterMinutes: number;
}

const stillMissing = (e: Episode) => e.status === 'open';
// After the return, closed or not: closing the thread does not stop the follow-ups' clocks.
const afterReturn = (e: Episode) => e.status !== 'open' && e.returnedAt !== null;

/** Whether the reason behind a rung still holds; when it stops holding, its ping is cancelled. */
export function conditionHolds(rung: LadderRung, e: Episode, ctx: LadderContext): boolean {
  const condition: LadderCondition = rung.when;
  switch (condition) {
    case 'stageItemsOpen':
      return stillMissing(e) && openItems(e, ctx.protocol, rung.stage).length > 0;
    case 'policeNotTold':
      return stillMissing(e) && e.classification === 'missing' && e.police === null && e.policeNotRequiredAt === null;
    case 'policeReferenceToFollow':
      // The record needs the reference, missing or back (it is how the police find their report);
      // once closed the report can no longer be changed, so the reminder would only nag.
      return e.status !== 'closed' && e.police !== null && e.police.reference === null;
    case 'stillMissing':
      return stillMissing(e);
    case 'highRiskNotEscalated':
      // At opening, a high-risk child's "police not told" prompt (due at once) already says
      // call 999; this one is for risk that rises later. Police told while the risk was already
      // high (a grade the same as ours) heard it then: no second "call 999 now".
      return (
        stillMissing(e) &&
        e.riskLevel === 'high' &&
        e.highRiskSince !== null &&
        e.highRiskSince > (e.police && e.police.reportedAt > e.openedAt ? e.police.reportedAt : e.openedAt)
      );
    case 'onChildProtectionPlanStillMissing':
      return stillMissing(e) && ctx.plan.onChildProtectionPlan;
    case 'policeNotToldOfReturn':
      return afterReturn(e) && e.police !== null && e.policeToldOfReturnAt === null;
    case 'rhiNotHeld':
      // Held, or refused and offered again (the child's choice, respected and recorded): done.
      return afterReturn(e) && e.rhi.status !== 'held' && e.rhi.status !== 'reoffered';
    case 'rhiNotArranged':
      return afterReturn(e) && (e.rhi.status === 'none' || e.rhi.status === 'declined');
    case 'safeAndWellNotRecorded':
      return afterReturn(e) && e.police !== null && e.safeAndWellAt === null;
    case 'riskAssessmentNotUpdated':
      return afterReturn(e) && e.riskAssessmentUpdatedAt === null;
    case 'reg40DecisionNotRecorded':
      return afterReturn(e) && !e.checklist[FOLLOW_UP_ITEMS.reg40];
    case 'carePlanReviewNotAsked':
      return afterReturn(e) && isRepeat(e) && !e.checklist[FOLLOW_UP_ITEMS.carePlanReview];
    case 'itemsOpen':
      // However short the absence: a child back within minutes still needs them told.
      return e.status !== 'closed' && (rung.items ?? []).some((item) => !e.checklist[item]);
    case 'ofstedDecisionNotRecorded':
      // Missing or back, closed or not: a serious event is notified within its limit either way.
      return !e.checklist[FOLLOW_UP_ITEMS.reg40];
  }
}

/** The checklist items of a stage (or all stages) that nobody has dealt with yet. */
export function openItems(e: Episode, protocol: Protocol, stage?: string) {
  return protocol.checklist.filter((item) => (!stage || item.stage === stage) && !e.checklist[item.id]);
}

/** Minutes of checks allowed before the police must be told, for this child now. */
export function reportAfterMinutes(e: Episode, ctx: LadderContext): number {
  if (e.riskLevel === 'high') return 0;
  return Math.min(ctx.plan.reportAfterMinutes ?? ctx.defaultReportAfterMinutes, ctx.defaultReportAfterMinutes);
}

/**
 * When the police must have been told, while they still must be: the report-after time counted
 * from the earlier of "last seen" and "opened" (at once for high risk). Null once told, agreed
 * not required, or no longer missing.
 */
export function policeDueBy(e: Episode, ctx: LadderContext): Date | null {
  const stillToTell = e.status === 'open' && e.classification === 'missing' && !e.police && !e.policeNotRequiredAt;
  return stillToTell ? anchorTime('reportAfter', e, ctx) : null;
}

function anchorTime(anchor: Anchor, e: Episode, ctx: LadderContext): Date | null {
  switch (anchor) {
    case 'opened':
      return e.openedAt;
    case 'lastSeen':
      return e.lastSeenAt ?? e.openedAt;
    case 'reportAfter': {
      // Count from the earlier of "last seen" and "opened": the safer of the two.
      const from = e.lastSeenAt && e.lastSeenAt < e.openedAt ? e.lastSeenAt : e.openedAt;
      return addEpisodeMinutes(e, from, reportAfterMinutes(e, ctx));
    }
    case 'returned':
      return e.returnedAt;
    case 'lastContactAttempt':
      return e.lastContactAttemptAt ?? e.openedAt;
    case 'riskRaised':
      return e.highRiskSince;
    case 'policeReported':
      return e.police?.reportedAt ?? null;
  }
}

/** When the limit a rung reminds of falls (its anchor plus `deadlineMinutes`), if it has one. */
export function deadlineOf(rung: LadderRung, e: Episode, ctx: LadderContext): Date | null {
  const anchor = anchorTime(rung.anchor, e, ctx);
  return anchor && rung.deadlineMinutes ? addEpisodeMinutes(e, anchor, rung.deadlineMinutes) : null;
}

/**
 * The pings the episode should have at `now`: for each rung whose reason holds, its first due
 * time, or — for repeating rungs — the occurrence now due and the one after it. Pure: the
 * scheduler stores these by key, so deriving them again never duplicates one.
 */
export function plannedPings(e: Episode, ctx: LadderContext, now: Date): PlannedPing[] {
  const planned: PlannedPing[] = [];
  for (const rung of ctx.protocol.ladder) {
    if (!conditionHolds(rung, e, ctx)) continue;
    const anchor = anchorTime(rung.anchor, e, ctx);
    if (!anchor) continue;
    const first = addEpisodeMinutes(e, anchor, rung.afterMinutes);
    const base = `${e.id}/${rung.id}/${anchor.toISOString()}`;
    const make = (n: number, dueAt: Date): PlannedPing => ({
      key: `${base}/${n}`,
      rule: rung.id,
      audience: rung.audience,
      dueAt,
    });
    if (!rung.repeatEveryMinutes || now < first) {
      planned.push(make(0, first));
      continue;
    }
    const every = rung.repeatEveryMinutes;
    const everyMs = addEpisodeMinutes(e, first, every).getTime() - first.getTime();
    // A reminder ahead of a limit repeats until the limit, not after it (other rungs escalate).
    const limit = deadlineOf(rung, e, ctx);
    const lastBefore = limit ? Math.floor((limit.getTime() - first.getTime()) / everyMs) : Infinity;
    const current = Math.min(Math.floor((now.getTime() - first.getTime()) / everyMs), lastBefore);
    planned.push(make(current, addEpisodeMinutes(e, first, current * every)));
    if (current + 1 <= lastBefore) planned.push(make(current + 1, addEpisodeMinutes(e, first, (current + 1) * every)));
  }
  return planned;
}
