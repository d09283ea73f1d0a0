import { z } from 'zod';
import { checklistItemSchema, roles, type Protocol } from './schema.ts';

/** Whether a minute of the day falls in a window of local times that may run over midnight. */
export function inWindow(minute: number, window: { from: string; to: string }): boolean {
  const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const from = at(window.from);
  const to = at(window.to);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day like 22:00');
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** When the child's social worker can be reached; outside them, the emergency duty team. */
const DEFAULT_OFFICE = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'] as (typeof weekdays)[number][],
  from: '09:00',
  to: '17:00',
};
/** Night-time by default: the protocol's outer limit, which a home may widen but not narrow. */
const DEFAULT_NIGHT = { from: '22:00', to: '06:00' };

/**
 * What a home may change about the protocol: it may only tighten timings and add items, never
 * loosen — the defaults are already the outer limit of safe practice.
 */
export const homePolicySchema = z
  .object({
    /** Minutes for a ladder rung, keyed by rung id; each must be at most the default. */
    ladderMinutes: z.record(z.string(), z.number().int().min(0)).default({}),
    contactAttemptEveryMinutes: z.number().int().positive().optional(),
    approvalTimeoutMinutes: z.number().int().positive().optional(),
    /** Report-after time for children whose plan does not say, and the most any plan may say. */
    reportAfterMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(30),
    extraItems: z.array(checklistItemSchema).default([]),
    /** Roles whose members may approve downgrades, closures and sign-offs. */
    approverRoles: z.array(z.enum(roles)).min(1).default(['manager', 'deputy_manager']),
    /** Roles whose members may export the record, patterns and returns (the police pack is open to all staff). */
    exportRoles: z.array(z.enum(roles)).min(1).default(['manager', 'deputy_manager']),
    /** Months between reviews of each child's risk assessment (at least every three months). */
    riskReviewMonths: z.number().int().min(1).max(3).default(3),
    /** Local hours counted as night-time, a risk factor (may run over midnight; must cover 22:00–06:00). */
    nightHours: z.object({ from: hhmm, to: hhmm }).default(DEFAULT_NIGHT),
    /** A second episode within this many days is a repeat, a risk factor (at least 30; a home may widen it). */
    repeatWithinDays: z.number().int().min(30).max(366).default(30),
    /** An earlier episode at least this long makes "history of long episodes" a risk factor. */
    longEpisodeHours: z.number().int().min(1).max(24).default(24),
    /** The local authority's office hours (local time): the social worker then, the EDT otherwise. */
    officeHours: z
      .object({ days: z.array(z.enum(weekdays)).min(1).default(DEFAULT_OFFICE.days), from: hhmm, to: hhmm })
      .default(DEFAULT_OFFICE),
    /** Whether a reminder also goes to each person it names in their direct messages (it always mentions them in the thread). */
    remindersByDirectMessage: z.boolean().default(true),
  })
  .default({
    ladderMinutes: {},
    reportAfterMinutes: 30,
    extraItems: [],
    approverRoles: ['manager', 'deputy_manager'],
    exportRoles: ['manager', 'deputy_manager'],
    riskReviewMonths: 3,
    nightHours: DEFAULT_NIGHT,
    repeatWithinDays: 30,
    longEpisodeHours: 24,
    remindersByDirectMessage: true,
    officeHours: DEFAULT_OFFICE,
  });
export type HomePolicy = z.infer<typeof homePolicySchema>;

/** A problem with a policy, naming the field it is about. */
export interface PolicyProblem {
  path: (string | number)[];
  message: string;
}

/** Checks a policy against the protocol: it must tighten, not loosen, and add only new items. */
export function checkPolicy(protocol: Protocol, policy: HomePolicy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const [rungId, minutes] of Object.entries(policy.ladderMinutes)) {
    const rung = protocol.ladder.find((r) => r.id === rungId);
    if (!rung) problems.push({ path: ['ladderMinutes', rungId], message: `there is no ladder rung "${rungId}"` });
    else if (minutes > rung.afterMinutes)
      problems.push({
        path: ['ladderMinutes', rungId],
        message: `${minutes} minutes would loosen the protocol (the default is ${rung.afterMinutes}); a home may only tighten it`,
      });
  }
  if (
    policy.contactAttemptEveryMinutes !== undefined &&
    policy.contactAttemptEveryMinutes > protocol.contactAttemptEveryMinutes
  )
    problems.push({
      path: ['contactAttemptEveryMinutes'],
      message: `must be at most ${protocol.contactAttemptEveryMinutes} (the default)`,
    });
  if (policy.approvalTimeoutMinutes !== undefined && policy.approvalTimeoutMinutes > protocol.approvalTimeoutMinutes)
    problems.push({
      path: ['approvalTimeoutMinutes'],
      message: `must be at most ${protocol.approvalTimeoutMinutes} (the default)`,
    });
  const night = policy.nightHours;
  const uncovered = Array.from({ length: 24 * 60 }, (_, m) => m).find(
    (m) => inWindow(m, DEFAULT_NIGHT) && !inWindow(m, night),
  );
  if (uncovered !== undefined)
    problems.push({
      path: ['nightHours'],
      message: `${night.from}–${night.to} would loosen the protocol: night-time must cover at least ${DEFAULT_NIGHT.from}–${DEFAULT_NIGHT.to}`,
    });
  const known = new Set(protocol.checklist.map((i) => i.id));
  policy.extraItems.forEach((item, index) => {
    if (known.has(item.id))
      problems.push({ path: ['extraItems', index, 'id'], message: `"${item.id}" is already a protocol item` });
    known.add(item.id);
  });
  return problems;
}

/** The protocol as one home runs it: its tighter timings applied and its extra items added. */
export function effectiveProtocol(protocol: Protocol, policy: HomePolicy): Protocol {
  const contactEvery = policy.contactAttemptEveryMinutes ?? protocol.contactAttemptEveryMinutes;
  return {
    ...protocol,
    contactAttemptEveryMinutes: contactEvery,
    approvalTimeoutMinutes: policy.approvalTimeoutMinutes ?? protocol.approvalTimeoutMinutes,
    checklist: [...protocol.checklist, ...policy.extraItems],
    ladder: protocol.ladder.map((rung) => {
      const minutes =
        policy.ladderMinutes[rung.id] ?? (rung.anchor === 'lastContactAttempt' ? contactEvery : rung.afterMinutes);
      const tightened = { ...rung, afterMinutes: Math.min(minutes, rung.afterMinutes) };
      // A home's contact interval is how often attempts are due, not only the first after the last one.
      if (rung.anchor === 'lastContactAttempt' && rung.repeatEveryMinutes)
        tightened.repeatEveryMinutes = Math.min(rung.repeatEveryMinutes, contactEvery);
      return tightened;
    }),
  };
}
