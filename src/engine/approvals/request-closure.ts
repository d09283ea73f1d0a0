import { closureGaps, outstandingFollowUps } from '../../domain/closure.ts';
import { noticeCard } from '../../messages/cards.ts';
import type { Tx } from '../../ports/store.ts';
import type { CommandOf } from '../commands/commands.ts';
import { loadActive, ok, refuse, requireStaff, type EngineDeps, type Result } from '../base/context.ts';
import { requestApproval } from './request-approval.ts';

/** Asks a manager to close the episode; refused while the record is missing what closure needs. */
export async function requestClosure(tx: Tx, deps: EngineDeps, cmd: CommandOf<'request_closure'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  const reason = cmd.reason.trim();
  if (!reason) return refuse('reason_required');
  const gaps = closureGaps(scope.episode, scope.protocol);
  if (gaps.blocking.length > 0) return refuse('closure_incomplete', { missing: gaps.blocking });
  const followUps = outstandingFollowUps(scope.episode, scope.protocol);
  if (followUps.length > 0 && !cmd.withFollowUps) return refuse('follow_ups_outstanding', { missing: followUps });
  await requestApproval(
    tx,
    scope,
    staff,
    'closure',
    { reason, followUps },
    now,
    followUps.length > 0
      ? [`after closing, still due with their reminders — ${followUps.join(', ')}`, ...gaps.outstanding]
      : gaps.outstanding,
  );
  return ok({
    episodeId: scope.episode.id,
    reply: noticeCard(
      followUps.length > 0
        ? `A manager has been asked to approve closing the episode with follow-ups outstanding (${followUps.join('; ')}); their reminders go on after closing.`
        : 'A manager has been asked to approve closing the episode.',
    ),
  });
}

/** Asks a manager to sign off the Ofsted notification text or the final record. */
export async function requestSignoff(tx: Tx, deps: EngineDeps, cmd: CommandOf<'request_signoff'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const scope = await loadActive(tx, deps, cmd.episodeId, staff);
  const text = cmd.text.trim();
  if (!text) return refuse('text_empty');
  await requestApproval(tx, scope, staff, cmd.kind, { text }, now);
  return ok({ episodeId: scope.episode.id, reply: noticeCard('A manager has been asked to sign this off.') });
}
