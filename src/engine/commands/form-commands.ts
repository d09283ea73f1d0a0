import type { FormId } from '../../messages/forms.ts';
import type { Actor } from './commands.ts';

type Values = Record<string, string | string[] | undefined>;

const blankToUndefined = (v: string | string[] | undefined) =>
  typeof v === 'string' && v.trim() === '' ? undefined : v;

/**
 * Turns a submitted form into an engine command (not yet validated: the engine's zod schema
 * does that, and answers with the fields that are wrong). Shared by every adapter so no
 * adapter holds protocol logic.
 */
export function formCommand(
  form: FormId,
  episodeId: string,
  extra: string,
  raw: Values,
  actor: Actor,
): Record<string, unknown> {
  const v: Values = Object.fromEntries(Object.entries(raw).map(([k, x]) => [k, blankToUndefined(x)]));
  const base = { actor, episodeId };
  const list = (x: string | string[] | undefined) => (Array.isArray(x) ? x : x ? [x] : []);
  switch (form) {
    case 'last_seen':
      return {
        type: 'record_last_seen',
        ...base,
        at: v.at,
        place: v.place,
        by: v.by,
        clothing: v.clothing,
        withWhom: v.withWhom,
      };
    case 'police_report':
      return {
        type: 'record_police_report',
        ...base,
        reference: v.reference,
        officer: v.officer,
        grade: v.grade,
        reportedAt: v.reportedAt,
        reviewAt: v.reviewAt,
      };
    case 'notification':
      return {
        type: 'record_notification',
        ...base,
        party: v.party,
        decision: v.decision,
        method: v.method,
        response: v.response,
        reason: v.reason,
        decidedBy: v.decidedBy,
        at: v.at,
      };
    case 'contact_attempt':
      return { type: 'record_contact_attempt', ...base, method: v.method, outcome: v.outcome, at: v.at };
    case 'search':
      return { type: 'record_search', ...base, who: v.who, where: v.where, outcome: v.outcome, at: v.at };
    case 'risk':
      return { type: 'set_risk', ...base, level: v.level, factors: list(v.factors), reason: v.reason ?? '' };
    case 'classify':
      return { type: 'classify', ...base, classification: v.classification, reason: v.reason ?? '' };
    case 'return':
      return {
        type: 'record_return',
        ...base,
        at: v.at,
        how: v.how,
        whereFound: v.whereFound,
        condition: v.condition,
        indicators: list(v.indicators),
        notes: v.notes,
      };
    case 'follow_up':
      return { type: 'record_follow_up', ...base, what: v.what, note: v.note, at: v.at };
    case 'rhi':
      return {
        type: 'record_rhi',
        ...base,
        status: v.status,
        note: v.note,
        at: v.at,
        interviewer: v.interviewer,
        organisation: v.organisation,
        independent: v.independent,
        tookPart: v.tookPart,
        sharedWithSocialWorker: v.sharedWithSocialWorker,
      };
    case 'not_applicable':
      return { type: 'mark_not_applicable', ...base, itemId: extra, reason: v.reason ?? '' };
    case 'closure':
      return { type: 'request_closure', ...base, reason: v.reason ?? '', withFollowUps: v.withFollowUps === 'yes' };
  }
}

/** Turns the bare-`/missing` form into an open-episode command for the channel it came from. */
export function openEpisodeCommand(
  raw: Values,
  actor: Actor,
  channel: { platform: Actor['platform']; channelRef: string },
): Record<string, unknown> {
  const v: Values = Object.fromEntries(Object.entries(raw).map(([k, x]) => [k, blankToUndefined(x)]));
  return {
    type: 'open_episode',
    actor,
    channel,
    child: v.child ?? '',
    lastSeen: { at: v.lastSeenAt, place: v.lastSeenPlace, by: v.lastSeenBy },
    clothing: v.clothing,
    withWhom: v.withWhom,
  };
}
