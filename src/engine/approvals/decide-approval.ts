import { closureGaps, outstandingFollowUps } from '../../domain/closure.ts';
import type { Episode } from '../../domain/episode.ts';
import { approvalSummary } from '../../messages/cards.ts';
import { label } from '../../messages/format.ts';
import type { ApprovalRecord, StaffRecord, Tx } from '../../ports/store.ts';
import type { Classification, RiskLevel } from '../../protocol/schema.ts';
import type { CommandOf } from '../commands/commands.ts';
import { appendEntry } from '../record/append-entry.ts';
import { applyClassification } from '../changes/classification.ts';
import { closeEpisode } from '../changes/closure.ts';
import { recordPoliceNotRequired } from '../changes/police-not-required.ts';
import {
  authorOf,
  fail,
  loadScope,
  ok,
  refuse,
  requireStaff,
  type EngineDeps,
  type EpisodeScope,
  type Result,
} from '../base/context.ts';
import { postToThread, updateCopies } from '../base/effects.ts';
import { approvalCopy } from './request-approval.ts';
import { approvalCardOf, approvalKey } from './approval-card.ts';
import { applyRisk } from '../changes/risk.ts';

/**
 * A manager approves or declines. The role is checked now, when the button is pressed, not when
 * the card was sent; anyone else is refused and the attempt itself goes into the record.
 */
export async function decideApproval(tx: Tx, deps: EngineDeps, cmd: CommandOf<'decide_approval'>): Promise<Result> {
  const now = deps.clock.now();
  const staff = await requireStaff(tx, cmd.actor);
  const approval = await tx.approvals.get(cmd.approvalId);
  if (!approval) return refuse('approval_not_found');
  const scope = await loadScope(tx, deps, approval.episodeId);
  if (scope.home.id !== staff.homeId) return refuse('approval_not_found');
  const approvers = scope.home.policy.approverRoles;
  // Nothing left to decide: say so, to anyone, without adding to the record (a late double click).
  if (approval.status !== 'pending') return alreadyDecided(tx, approval);
  if (scope.episode.status === 'closed') return refuse('episode_closed');

  if (!approvers.includes(staff.role)) {
    await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
      kind: 'approval_refused',
      text: `${staff.displayName} (${label(staff.role).toLowerCase()}) tried to ${cmd.decision} “${approvalSummary(approval)}” and was refused: only ${approvers.map(label).join(' or ').toLowerCase()} can decide this.`,
      data: { approvalId: approval.id, attempted: cmd.decision },
    });
    // The refusal is committed (it is part of the record); the person gets the reason.
    return fail('not_an_approver', { roles: approvers.map((r) => label(r).toLowerCase()) });
  }

  // Closure is re-checked too: the record may have changed since it was asked for.
  if (cmd.decision === 'approve' && approval.kind === 'closure') {
    const gaps = closureGaps(scope.episode, scope.protocol);
    if (gaps.blocking.length > 0) return refuse('closure_incomplete', { missing: gaps.blocking });
  }
  // A downgrade is approved as asked, from the value it was asked from: if that has moved since
  // (risk raised on new information), approving would silently undo the protective change.
  if (cmd.decision === 'approve' && isOutdated(approval, scope.episode)) return refuse('approval_outdated');
  const status = cmd.decision === 'approve' ? 'approved' : 'declined';
  const decided = await tx.approvals.decide(approval.id, {
    status,
    byStaffId: staff.id,
    at: now,
    note: cmd.note ?? null,
  });
  if (!decided) return alreadyDecided(tx, approval);
  await tx.pings.cancelByPrefix(`approval/${approval.id}/`, 'approval decided', now);
  await appendEntry(tx, scope.episode.id, authorOf(staff), now, {
    kind: 'approval_decided',
    text: `${status === 'approved' ? 'Approved' : 'Declined'}: ${approvalSummary(approval)}.${cmd.note ? ` ${cmd.note}` : ''}`,
    data: { approvalId: approval.id, kind: approval.kind, status, note: cmd.note ?? null },
  });
  const decidedApproval: ApprovalRecord = {
    ...approval,
    status,
    decidedByStaffId: staff.id,
    decidedAt: now,
    note: cmd.note ?? null,
  };
  const card = await approvalCardOf(tx, scope, decidedApproval);
  // Every copy shows the decision and loses its buttons: the thread's and each manager's own.
  await postToThread(tx, scope, card, now, approvalKey(approval.id));
  await updateCopies(tx, scope.home.id, approvalCopy(scope, approval.id), now, () => card);
  if (status === 'approved') await carryOut(tx, deps, scope, approval, staff, now);
  return ok({ episodeId: scope.episode.id });
}

function isOutdated(approval: ApprovalRecord, episode: Episode): boolean {
  // Agreeing not to report is moot once the police have been told, or the child is back.
  if (approval.kind === 'police_not_required') return episode.police !== null || episode.status !== 'open';
  const from = approval.payload.from;
  if (typeof from !== 'string') return false; // asked before requests recorded their starting value
  if (approval.kind === 'downgrade_risk') return from !== episode.riskLevel;
  if (approval.kind === 'downgrade_classification') return from !== episode.classification;
  return false;
}

async function alreadyDecided(tx: Tx, approval: ApprovalRecord): Promise<Result> {
  const fresh = (await tx.approvals.get(approval.id)) ?? approval;
  const by = fresh.decidedByStaffId
    ? ((await tx.staff.get(fresh.decidedByStaffId))?.displayName ?? 'a manager')
    : 'a manager';
  return fail('approval_already_decided', { status: fresh.status, by });
}

async function carryOut(
  tx: Tx,
  deps: EngineDeps,
  scope: EpisodeScope,
  approval: ApprovalRecord,
  staff: StaffRecord,
  at: Date,
): Promise<void> {
  const reason = typeof approval.payload.reason === 'string' ? approval.payload.reason : 'approved by a manager';
  const author = authorOf(staff);
  switch (approval.kind) {
    case 'downgrade_classification':
      return applyClassification(
        tx,
        deps,
        scope.episode.id,
        staff.id,
        author,
        approval.payload.to as Classification,
        reason,
        at,
      );
    case 'downgrade_risk':
      return applyRisk(
        tx,
        deps,
        scope,
        staff.id,
        author,
        approval.payload.to as RiskLevel,
        scope.episode.riskFactors,
        reason,
        at,
      );
    case 'closure':
      return closeEpisode(
        tx,
        deps,
        staff,
        approval.id,
        scope.episode.id,
        reason,
        outstandingFollowUps(scope.episode, scope.protocol),
        at,
      );
    case 'police_not_required': {
      const requester = (await tx.staff.get(approval.requestedByStaffId))?.displayName ?? 'a member of staff';
      return recordPoliceNotRequired(tx, deps, scope, { by: 'manager', manager: staff, requester }, reason, at);
    }
    case 'signoff_ofsted':
    case 'signoff_record':
      return; // the decision entry above is the sign-off
  }
}
