import { approvalCard, approvalSummary } from '../messages/cards.ts';
import type { ApprovalKind, StaffRecord, Tx } from '../ports/store.ts';
import { appendEntry } from './append-entry.ts';
import { authorOf, type EpisodeScope } from './context.ts';
import { postToThread } from './effects.ts';

/** Key under which an approval's card is updated in place once decided. */
export const approvalKey = (id: string) => `approval:${id}`;

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
  const card = approvalCard(approval, scope.episode, { requester: staff.displayName }, scope.home.timeZone, warnings);
  await postToThread(tx, scope, card, at, approvalKey(id));
  return id;
}
