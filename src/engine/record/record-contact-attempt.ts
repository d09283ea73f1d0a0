import { noticeCard } from '../../messages/cards.ts';
import { formatTime } from '../../messages/format.ts';
import type { StaffRecord, Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from './append-entry.ts';
import { autoTick, stagesOf } from './auto-tick.ts';
import { authorOf, loadActive, ok, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, postToThread } from '../base/effects.ts';

/** Logs one attempt to reach the child (time, method, outcome); the next one is then due later. */
export async function recordContactAttempt(
  tx: Tx,
  deps: EngineDeps,
  cmd: CommandOf<'record_contact_attempt'>,
): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  checkTime('time of the attempt', cmd.at, now);
  const at = cmd.at ?? now;
  await tx.episodes.addContactAttempt(scope.episode.id, {
    method: cmd.method,
    outcome: cmd.outcome,
    at,
    byStaffId: staff.id,
  });
  const ticked = await autoTick(tx, scope, ['call-child'], staff, now);
  const text = `Contact attempt by ${cmd.method}: ${cmd.outcome}`;
  await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
    kind: 'contact_attempt',
    text,
    data: { method: cmd.method, outcome: cmd.outcome, at: at.toISOString(), ticked },
  });
  const after = await afterChange(tx, deps, scope.episode.id, now, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(byWhom(text, staff, at, scope.home.timeZone)), now);
  return ok({ episodeId: scope.episode.id });
}

/** What the thread shows of a logged attempt or search: what, when it happened, and who logged it. */
const byWhom = (text: string, staff: StaffRecord, at: Date, timeZone: string) =>
  `${text} — ${formatTime(at, timeZone)}, logged by ${staff.displayName}`;

/** Logs a search: who looked, where, and what they found. */
export async function recordSearch(tx: Tx, deps: EngineDeps, cmd: CommandOf<'record_search'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  checkTime('time of the search', cmd.at, now);
  const at = cmd.at ?? now;
  const text = `Search by ${cmd.who} at ${cmd.where}: ${cmd.outcome}`;
  await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
    kind: 'search',
    text,
    data: { who: cmd.who, where: cmd.where, outcome: cmd.outcome, at: at.toISOString() },
  });
  const after = await afterChange(tx, deps, scope.episode.id, now);
  await postToThread(tx, after, noticeCard(byWhom(text, staff, at, scope.home.timeZone)), now);
  return ok({ episodeId: scope.episode.id });
}
