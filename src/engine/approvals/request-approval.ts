import { addMinutes } from 'date-fns/addMinutes';
import { approvalSummary } from '../../messages/cards.ts';
import { approvalCardOf, approvalKey, directCopy } from './approval-card.ts';
import type { ApprovalKind, StaffRecord, Tx } from '../../ports/store.ts';
import { appendEntry } from '../record/append-entry.ts';
import { authorOf, type EpisodeScope } from '../base/context.ts';
import { postToThread, sendDirect } from '../base/effects.ts';

/** The managers' direct copies of an approval's card, updated together with the thread's. */
export const approvalCopy = (scope: EpisodeScope, id: string) => ({
  episodeId: scope.episode.id,
  key: approvalKey(id),
});

/**
 * Asks the home's managers to decide a risky direction. Nothing changes until one approves;
 * protective actions never come through here.
 */
export async function requestApproval(
  tx: Tx,
  scope: EpisodeScope,
  staff: StaffRecord,
  kind: ApprovalKind,
  payload: Record<string, unknown>,
  at: Date,
  warnings: string[] = [],
): Promise<string> {
  const request = { episodeId: scope.episode.id, kind, payload, requestedByStaffId: staff.id, requestedAt: at };
  const id = await tx.approvals.create(request);
  const approval = { ...request, id, status: 'pending' as const, decidedByStaffId: null, decidedAt: null, note: null };
  await appendEntry(tx, scope.episode.id, authorOf(staff), at, {
    kind: 'approval_requested',
    text: `Asked a manager to approve: ${approvalSummary(approval)}.${typeof payload.reason === 'string' && payload.reason ? ` Reason: ${payload.reason}` : ''}`,
    data: { approvalId: id, kind, payload },
  });
  const card = await approvalCardOf(tx, scope, approval, warnings);
  await postToThread(tx, scope, card, at, approvalKey(id));
  // The first manager on the list is asked directly; undecided, it moves down the list.
  const [first] = await approversInOrder(tx, scope);
  if (first) await sendDirect(tx, scope.home, [first], directCopy(card), at, approvalCopy(scope, id));
  await scheduleApprovalTimeout(tx, scope, id, 0, at);
  return id;
}

/** The home's approvers, in the order the configuration lists them. */
export async function approversInOrder(tx: Tx, scope: EpisodeScope): Promise<StaffRecord[]> {
  const order = scope.home.staffOrder;
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return (await tx.staff.listForHome(scope.home.id))
    .filter((s) => s.active && scope.home.policy.approverRoles.includes(s.role))
    .sort((a, b) => rank(a.id) - rank(b.id));
}

/** The n-th "still undecided" reminder of an approval, one timeout after the last. */
export async function scheduleApprovalTimeout(
  tx: Tx,
  scope: EpisodeScope,
  approvalId: string,
  n: number,
  from: Date,
): Promise<void> {
  await tx.pings.insert({
    key: `approval/${approvalId}/timeout/${n}`,
    homeId: scope.home.id,
    episodeId: scope.episode.id,
    rule: APPROVAL_TIMEOUT_RULE,
    audience: 'managers',
    dueAt: addMinutes(from, scope.protocol.approvalTimeoutMinutes),
    createdAt: from,
  });
}

/** The rule name of approval reminders (not a ladder rung: they follow their approval). */
export const APPROVAL_TIMEOUT_RULE = 'approval-timeout';
