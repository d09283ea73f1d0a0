import { addMonths } from 'date-fns';
import { formatTime } from '../../messages/format.ts';
import type { HomeRecord, PingRecord, Tx } from '../../ports/store.ts';
import type { EngineDeps } from '../base/context.ts';
import { sendDirect } from '../base/effects.ts';
import { handoverAudience } from '../handover/handover.ts';

export const RISK_REVIEW_RULE = 'risk-assessment-review';
const keyOf = (childId: string, reviewedAt: Date) => `child/${childId}/risk-review/${reviewedAt.toISOString()}`;

/**
 * Makes sure each child whose last risk-assessment review is known has a reminder for the next
 * one (every few months, by the home's policy). Keyed by the last review, so a new review makes
 * the old reminder moot and the next one is derived from it.
 */
export async function scheduleRiskReviews(tx: Tx, home: HomeRecord, now: Date): Promise<void> {
  for (const child of await tx.children.listForHome(home.id)) {
    if (!child.active || !child.riskReviewedAt) continue;
    const key = keyOf(child.id, child.riskReviewedAt);
    if (await tx.pings.exists(key)) continue;
    const dueAt = addMonths(child.riskReviewedAt, home.policy.riskReviewMonths);
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
  if (!child || !child.active || !home || !child.riskReviewedAt || keyOf(child.id, child.riskReviewedAt) !== ping.key)
    return false;
  const text = `${child.alias}’s risk assessment is due for review (last reviewed ${formatTime(child.riskReviewedAt, home.timeZone)}). Review it, and record the review after the next episode too.`;
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
