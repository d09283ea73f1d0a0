import type { PingRecord, Tx } from '../../ports/store.ts';
import { appendEntry } from '../record/append-entry.ts';
import { sendDirect } from '../base/effects.ts';
import { BOT_AUTHOR, type EngineDeps, loadScope } from '../base/context.ts';
import { approvalCopy, approversInOrder, scheduleApprovalTimeout } from './request-approval.ts';
import { approvalCardOf, approvalKey, directCopy } from './approval-card.ts';

/**
 * An approval left undecided past the home's timeout goes to the next manager on the list (and
 * on round again). Returns false when it has been decided meanwhile: nothing to send.
 */
export async function sendApprovalReminder(tx: Tx, deps: EngineDeps, ping: PingRecord, now: Date): Promise<boolean> {
  const [, approvalId = '', , n = '0'] = ping.key.split('/');
  const approval = await tx.approvals.get(approvalId);
  if (!approval || approval.status !== 'pending' || !ping.episodeId) return false;
  const scope = await loadScope(tx, deps, ping.episodeId);
  if (scope.episode.status === 'closed') return false;
  const approvers = await approversInOrder(tx, scope);
  const next = approvers.length > 0 ? approvers[(Number(n) + 1) % approvers.length]! : null;
  const card = directCopy(await approvalCardOf(tx, scope, approval));
  card.blocks.unshift({
    type: 'text',
    text: `Not decided after ${scope.protocol.approvalTimeoutMinutes} minutes: passed on to you.`,
  });
  if (next) await sendDirect(tx, scope.home, [next], card, now, approvalCopy(scope, approvalId));
  await appendEntry(tx, scope.episode.id, BOT_AUTHOR, now, {
    kind: 'ping',
    text: `Approval not decided after ${scope.protocol.approvalTimeoutMinutes} minutes: ${next ? `passed on to ${next.displayName}` : 'no manager to pass it to'}.`,
    data: { approvalId, rule: ping.rule, to: next ? [next.id] : [], card: approvalKey(approvalId) },
  });
  await scheduleApprovalTimeout(tx, scope, approvalId, Number(n) + 1, now);
  return true;
}
