import type { ApprovalRecord } from '../../domain/approval.ts';
import { approvalCard } from '../../messages/cards.ts';
import type { Card } from '../../messages/outbound.ts';
import type { Platform } from '../../domain/episode.ts';
import type { Tx } from '../../ports/store.ts';
import { loadScope, type EngineDeps, type EpisodeScope } from '../base/context.ts';

const APPROVAL_KEY = 'approval:';
/** Key under which an approval's card is updated in place once decided. */
export const approvalKey = (id: string) => `${APPROVAL_KEY}${id}`;
/** The approval a card key names, or null if it names none. */
export const approvalOfKey = (key: string) => (key.startsWith(APPROVAL_KEY) ? key.slice(APPROVAL_KEY.length) : null);

/**
 * An approval's card as the thread shows it: who asked, what, and — while it is pending — the
 * buttons, marked as being for the home's approvers only (on Teams, each of them gets a view
 * with the buttons; everyone else one without).
 */
export async function approvalCardOf(
  tx: Tx,
  scope: EpisodeScope,
  approval: ApprovalRecord,
  warnings: string[] = [],
): Promise<Card> {
  const names = async (id: string | null) => (id ? ((await tx.staff.get(id))?.displayName ?? null) : null);
  const requester = (await names(approval.requestedByStaffId)) ?? 'Someone';
  const decider = await names(approval.decidedByStaffId);
  const card = approvalCard(
    approval,
    scope.episode,
    { requester, ...(decider ? { decider } : {}) },
    scope.home.timeZone,
    warnings,
  );
  if (approval.status !== 'pending') return card;
  const approvers = (await tx.staff.listForHome(scope.home.id)).filter(
    (s) => s.active && scope.home.policy.approverRoles.includes(s.role),
  );
  const ids: string[] = [];
  for (const person of approvers)
    for (const identity of await tx.staff.identities(person.id))
      if (identity.platform === scope.episode.platform) ids.push(identity.platformUserId);
  return { ...card, personal: { key: approvalKey(approval.id), forPlatformUserIds: ids } };
}

/** The card as one person sees it: the buttons only for someone who may decide it now. */
export function viewFor(card: Card, mayDecide: boolean): Card {
  return mayDecide ? card : { ...card, blocks: card.blocks.filter((b) => b.type !== 'actions') };
}

/** A copy for a manager's own direct messages: theirs alone, so it has no views to tell apart. */
export function directCopy(card: Card): Card {
  const { personal: _, ...rest } = card;
  return rest;
}

/**
 * One person's own view of an approval's card (what Teams asks for when they look at it): the
 * buttons only if they may decide it now. Null when they are not staff of its home, or it is gone.
 */
export async function approvalView(
  tx: Tx,
  deps: EngineDeps,
  platform: Platform,
  userId: string,
  approvalId: string,
): Promise<Card | null> {
  // One after the other: a transaction's queries go down one connection.
  const staff = await tx.staff.findByIdentity(platform, userId);
  const approval = await tx.approvals.get(approvalId);
  if (!staff || !approval) return null;
  const scope = await loadScope(tx, deps, approval.episodeId);
  if (scope.home.id !== staff.homeId) return null;
  const mayDecide =
    staff.active && scope.home.policy.approverRoles.includes(staff.role) && scope.episode.status !== 'closed';
  return viewFor(await approvalCardOf(tx, scope, approval), mayDecide);
}
