import { noticeCard } from '../../messages/cards.ts';
import { formatTime, label } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { autoTick, stagesOf } from '../record/auto-tick.ts';
import { authorOf, loadActive, ok, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, postToThread, showChecklist } from '../base/effects.ts';

/**
 * Records the report to police: the time of the call, the grade, and the reference, officer and
 * agreed review time when the police give them. The reference may follow ("reported, reference to
 * follow"): then the call's time must be given (the command's schema asks for it), and a
 * reminder asks for the reference until it is added by recording the report again.
 */
export async function recordPoliceReport(
  tx: Tx,
  deps: EngineDeps,
  cmd: CommandOf<'record_police_report'>,
): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  checkTime('time of the report', cmd.reportedAt, now);
  const earlier = scope.episode.police;
  const reference = cmd.reference?.trim() || earlier?.reference || null;
  const officer = cmd.officer?.trim() || earlier?.officer || null;
  const police = {
    reportedAt: cmd.reportedAt ?? earlier?.reportedAt ?? now,
    reference,
    officer,
    grade: cmd.grade,
    reviewAt: cmd.reviewAt ?? earlier?.reviewAt ?? null,
  };
  await tx.episodes.update(scope.episode.id, { police });
  const refWords = reference ? `reference ${reference}` : 'reference to follow';
  await tx.episodes.addRisk(scope.episode.id, {
    level: cmd.grade,
    factors: scope.episode.riskFactors,
    source: 'police',
    at: now,
    byStaffId: staff.id,
    reason: `Police grade (${reference ? `ref ${reference}` : 'reference to follow'})`,
  });
  await tx.episodes.addNotification(scope.episode.id, {
    party: 'police',
    decision: 'notified',
    method: null,
    response: `${refWords[0]!.toUpperCase()}${refWords.slice(1)}${officer ? `, officer ${officer}` : ''}, graded ${label(cmd.grade).toLowerCase()}`,
    reason: null,
    at: police.reportedAt,
    byStaffId: staff.id,
  });
  const ticked = await autoTick(tx, scope, ['report-police'], staff, now);
  const tz = scope.home.timeZone;
  const call = formatTime(police.reportedAt, tz);
  const what = !earlier
    ? `Reported to police at ${call}`
    : !earlier.reference && reference
      ? `Police reference added (call at ${call})`
      : `Police report updated (call at ${call})`;
  const text = `${what}: ${refWords}${officer ? `, officer ${officer}` : ''}, police grade ${label(cmd.grade).toLowerCase()}${police.reviewAt ? `, review at ${formatTime(police.reviewAt, tz)}` : ''}.`;
  await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
    kind: 'police_report',
    text,
    data: {
      reference,
      officer,
      grade: cmd.grade,
      reportedAt: police.reportedAt.toISOString(),
      reviewAt: police.reviewAt?.toISOString() ?? null,
      ticked,
    },
  });
  const after = await afterChange(tx, deps, scope.episode.id, now, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(text), now);
  if (!earlier) await showChecklist(tx, after, 'search', now);
  return ok({ episodeId: scope.episode.id });
}
