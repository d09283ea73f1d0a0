import { noticeCard } from '../../messages/cards.ts';
import { formatTime, label } from '../../messages/format.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { autoTick, stagesOf } from '../record/auto-tick.ts';
import { authorOf, loadActive, ok, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, postToThread, showChecklist } from '../base/effects.ts';

/** Records the report to police: reference, officer, grade and the agreed review time. */
export async function recordPoliceReport(
  tx: Tx,
  deps: EngineDeps,
  cmd: CommandOf<'record_police_report'>,
): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  checkTime('time of the report', cmd.reportedAt, now);
  const first = scope.episode.police === null;
  const police = {
    reportedAt: cmd.reportedAt ?? scope.episode.police?.reportedAt ?? now,
    reference: cmd.reference,
    officer: cmd.officer,
    grade: cmd.grade,
    reviewAt: cmd.reviewAt ?? null,
  };
  await tx.episodes.update(scope.episode.id, { police });
  await tx.episodes.addRisk(scope.episode.id, {
    level: cmd.grade,
    factors: scope.episode.riskFactors,
    source: 'police',
    at: now,
    byStaffId: staff.id,
    reason: `Police grade (ref ${cmd.reference})`,
  });
  await tx.episodes.addNotification(scope.episode.id, {
    party: 'police',
    decision: 'notified',
    method: null,
    response: `Reference ${cmd.reference}, officer ${cmd.officer}, graded ${label(cmd.grade).toLowerCase()}`,
    reason: null,
    at: police.reportedAt,
    byStaffId: staff.id,
  });
  const ticked = await autoTick(tx, scope, ['report-police'], staff, now);
  const tz = scope.home.timeZone;
  const text = `${first ? 'Reported to police' : 'Police report updated'} at ${formatTime(police.reportedAt, tz)}: reference ${cmd.reference}, officer ${cmd.officer}, police grade ${label(cmd.grade).toLowerCase()}${police.reviewAt ? `, review at ${formatTime(police.reviewAt, tz)}` : ''}.`;
  await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
    kind: 'police_report',
    text,
    data: {
      reference: cmd.reference,
      officer: cmd.officer,
      grade: cmd.grade,
      reportedAt: police.reportedAt.toISOString(),
      reviewAt: police.reviewAt?.toISOString() ?? null,
      ticked,
    },
  });
  const after = await afterChange(tx, deps, scope.episode.id, now, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(text), now);
  if (first) await showChecklist(tx, after, 'search', now);
  return ok({ episodeId: scope.episode.id });
}
