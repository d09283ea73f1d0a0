import { noticeCard } from '../../messages/cards.ts';
import type { StaffRecord, Tx } from '../../ports/store.ts';
import type { Protocol } from '../../protocol/schema.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { autoTick, stagesOf } from '../record/auto-tick.ts';
import {
  authorOf,
  loadForItem,
  ok,
  refuse,
  requireStaff,
  type EngineDeps,
  type EpisodeScope,
  type Result,
} from '../base/context.ts';
import { recordPoliceNotRequired } from '../changes/police-not-required.ts';
import { checkTime } from '../base/times.ts';
import { afterChange, postToThread } from '../base/effects.ts';
import { requestApproval } from '../approvals/request-approval.ts';

/**
 * Records that someone was told (who, when, how, their response), or — for Ofsted and other
 * optional notifications — the decision that it was not required and why.
 */
export async function recordNotification(
  tx: Tx,
  deps: EngineDeps,
  cmd: CommandOf<'record_notification'>,
): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  // Ofsted's decision may still be recorded once the episode is closed, while it is a follow-up due.
  const ticks = (protocol: Protocol) => protocol.notificationParties.find((p) => p.id === cmd.party)?.ticks;
  const scope = await loadForItem(tx, deps, cmd.episodeId, staff, ticks);
  const party = scope.protocol.notificationParties.find((p) => p.id === cmd.party);
  if (!party)
    return refuse('unknown_party', {
      party: cmd.party.slice(0, 40),
      known: scope.protocol.notificationParties.map((p) => p.id),
    });
  if (cmd.decision === 'not_required' && !cmd.reason) return refuse('reason_required');
  if (party.id === 'police' && cmd.decision === 'not_required') return policeNotRequired(tx, deps, scope, staff, cmd);
  checkTime('time of the notification', cmd.at, now);
  const at = cmd.at ?? now;
  await tx.episodes.addNotification(scope.episode.id, {
    party: party.id,
    decision: cmd.decision,
    method: cmd.method ?? null,
    response: cmd.response ?? null,
    reason: cmd.reason ?? null,
    at,
    byStaffId: staff.id,
  });
  const ticked = await autoTick(tx, scope, [party.ticks], staff, now);
  const text =
    cmd.decision === 'notified'
      ? `Notified ${party.label}${cmd.method ? ` by ${cmd.method}` : ''}.${cmd.response ? ` Response: ${cmd.response}` : ''}`
      : `Decided not to notify ${party.label}: ${cmd.reason}`;
  await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
    kind: 'notification',
    text,
    data: {
      party: party.id,
      decision: cmd.decision,
      method: cmd.method ?? null,
      response: cmd.response ?? null,
      reason: cmd.reason ?? null,
      at: at.toISOString(),
      ticked,
    },
  });
  const after = await afterChange(tx, deps, scope.episode.id, now, stagesOf(scope, ticked));
  await postToThread(tx, after, noticeCard(text), now);
  return ok({ episodeId: scope.episode.id });
}

/**
 * Not reporting a missing child to the police is the risky direction. In a children's home a
 * manager decides: until they agree, the item stays open and the police reminder keeps firing. In
 * foster care the child's social worker decides, and the carer records their decision with their
 * name — except that a child at high risk is reported at once, whoever is asked.
 */
async function policeNotRequired(
  tx: Tx,
  deps: EngineDeps,
  scope: EpisodeScope,
  staff: StaffRecord,
  cmd: CommandOf<'record_notification'>,
): Promise<Result> {
  const now = deps.clock.now();
  const reason = cmd.reason ?? '';
  if (scope.protocol.policeDecidedBy === 'manager') {
    await requestApproval(tx, scope, staff, 'police_not_required', { reason }, now);
    return ok({
      episodeId: scope.episode.id,
      reply: noticeCard(
        'A manager has been asked to agree not to report to the police. Until then “Report to police” stays open and its reminder keeps coming.',
        'warning',
      ),
    });
  }
  if (scope.episode.police) return refuse('police_already_reported');
  if (scope.episode.riskLevel === 'high') return refuse('police_needed_high_risk');
  // Only the child's social worker decides: they must have been told, and the record names them.
  const told = scope.protocol.notificationParties.find((p) => p.id === 'social-worker')?.ticks;
  if (told && !scope.episode.checklist[told]) return refuse('social_worker_not_told');
  if (!cmd.decidedBy) return refuse('decider_required');
  checkTime('time of the decision', cmd.at, now);
  await recordPoliceNotRequired(
    tx,
    deps,
    scope,
    { by: 'childs_social_worker', decidedBy: cmd.decidedBy, recorder: staff },
    reason,
    cmd.at ?? now,
    now,
  );
  return ok({ episodeId: scope.episode.id });
}
