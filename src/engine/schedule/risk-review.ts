import { TZDate } from '@date-fns/tz';
import { addMonths } from 'date-fns/addMonths';
import { inOfficeHours } from '../../domain/office-hours.ts';
import { formatTime } from '../../messages/format.ts';
import type { HomeRecord, PingRecord, Tx } from '../../ports/store.ts';
import type { EngineDeps } from '../base/context.ts';
import { sendDirect } from '../base/effects.ts';
import { handoverAudience } from '../handover/handover.ts';

export const RISK_REVIEW_RULE = 'risk-assessment-review';
const keyOf = (childId: string, reviewedAt: Date | null) =>
  `child/${childId}/risk-review/${reviewedAt ? reviewedAt.toISOString() : 'never'}`;
/**
 * A review with no date to count from is asked for in the home's office hours: now, or when they
 * next begin (the next working morning at night or at a weekend).
 */
function whenOfficeOpen(now: Date, home: HomeRecord): Date {
  const hours = home.policy.officeHours;
  if (inOfficeHours(now, home.timeZone, hours)) return now;
  const [hh, mm] = hours.from.split(':').map(Number) as [number, number];
  const local = new TZDate(now.getTime(), home.timeZone);
  for (let day = 0; day <= 7; day++) {
    const start = new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + day, hh, mm, 0, home.timeZone);
    if (start.getTime() > now.getTime() && inOfficeHours(start, home.timeZone, hours)) return new Date(start.getTime());
  }
  return now;
}

/**
 * Makes sure each child has a reminder for their next risk-assessment review: every few months
 * after the last one (by the home's policy), or at once (in office hours) for a child with no
 * review recorded. Keyed by the last review, so a new review makes the old reminder moot and the
 * next one is derived from it.
 */
export async function scheduleRiskReviews(tx: Tx, home: HomeRecord, now: Date): Promise<void> {
  const children = (await tx.children.listForHome(home.id)).filter((c) => c.active);
  const scheduled = await tx.pings.existing(children.map((c) => keyOf(c.id, c.riskReviewedAt)));
  for (const child of children) {
    const key = keyOf(child.id, child.riskReviewedAt);
    if (scheduled.has(key)) continue;
    const dueAt = child.riskReviewedAt
      ? addMonths(child.riskReviewedAt, home.policy.riskReviewMonths)
      : whenOfficeOpen(now, home);
    await tx.pings.insert({
      key,
      homeId: home.id,
      episodeId: null,
      rule: RISK_REVIEW_RULE,
      audience: 'managers',
      dueAt,
      createdAt: now,
    });
  }
}

/** Reminds the managers that a child's risk assessment is due for review, unless it was reviewed since. */
export async function sendRiskReviewReminder(tx: Tx, _deps: EngineDeps, ping: PingRecord, now: Date): Promise<boolean> {
  const childId = ping.key.split('/')[1] ?? '';
  const child = await tx.children.get(childId);
  const home = await tx.homes.get(ping.homeId);
  if (!child || !child.active || !home || keyOf(child.id, child.riskReviewedAt) !== ping.key) return false;
  const text = child.riskReviewedAt
    ? `${child.alias}’s risk assessment is due for review (last reviewed ${formatTime(child.riskReviewedAt, home.timeZone)}). Review it, and record the review after the next episode too.`
    : `No review of ${child.alias}’s risk assessment is recorded. Review it now, and put the date in the child’s plan (riskAssessmentReviewedOn) or record it after the next episode.`;
  await sendDirect(
    tx,
    home,
    await handoverAudience(tx, home, 'managers'),
    {
      title: `Risk assessment review due: ${child.alias}`,
      tone: 'warning',
      blocks: [{ type: 'text', text }],
      fallback: text,
    },
    now,
  );
  return true;
}
