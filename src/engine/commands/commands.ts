import { z } from 'zod';
import { rhiStatuses } from '../../domain/episode.ts';
import { CALL_TIME_NEEDED, RHI_CHILD_ABSENT, RHI_DETAIL_NEEDED, RHI_NOT_INDEPENDENT } from '../../messages/problems.ts';
import { classifications, riskLevels } from '../../protocol/schema.ts';

/** Longest free text a form field may hold, and longest chat message the record takes in one entry. */
export const MAX_FIELD = 2_000;
export const MAX_MESSAGE = 40_000;
/** A longer message is kept in up to this many entries; beyond that it is refused as too long. */
export const MAX_PARTS = 25;

const platform = z.enum(['slack', 'teams', 'web']);
const ref = z.string().min(1).max(256);
const field = z.string().max(MAX_FIELD);
const optionalField = field.trim().optional();
const when = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'this is not a time I can read');

/** Who is acting, as the platform knows them. */
export const actorSchema = z.object({ platform, userId: ref, displayName: z.string().max(200).optional() });
export type Actor = z.infer<typeof actorSchema>;

const base = {
  actor: actorSchema,
  /** The platform's id for this inbound event, so a retried delivery is processed once. */
  eventId: ref.optional(),
};
const onEpisode = { ...base, episodeId: ref };
const delivery = z.enum(['attachment', 'link']).default('link');

/** Every command the engine takes; adapters build these from platform payloads. */
export const commandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('open_episode'),
    ...base,
    channel: z.object({ platform, channelRef: ref }),
    child: z.string().max(MAX_FIELD),
    lastSeen: z.object({ at: when.optional(), place: optionalField, by: optionalField }).optional(),
    clothing: optionalField,
    withWhom: optionalField,
    drill: z.boolean().optional(),
    /** For a drill: how many times faster its schedule runs (60 = a minute a second). */
    drillSpeed: z.number().int().min(1).max(3_600).optional(),
  }),
  z.object({
    type: z.literal('record_last_seen'),
    ...onEpisode,
    at: when,
    place: optionalField,
    by: optionalField,
    clothing: optionalField,
    withWhom: optionalField,
  }),
  z.object({ type: z.literal('classify'), ...onEpisode, classification: z.enum(classifications), reason: field }),
  z.object({ type: z.literal('tick_item'), ...onEpisode, itemId: ref }),
  z.object({ type: z.literal('mark_not_applicable'), ...onEpisode, itemId: ref, reason: field }),
  z
    .object({
      type: z.literal('record_police_report'),
      ...onEpisode,
      // Either may follow after the call ("reported, reference to follow"); the call's time may not.
      reference: optionalField,
      officer: optionalField,
      grade: z.enum(riskLevels),
      reportedAt: when.optional(),
      reviewAt: when.optional(),
    })
    .refine((c) => Boolean(c.reference?.trim()) || c.reportedAt !== undefined, {
      path: ['reportedAt'],
      message: CALL_TIME_NEEDED,
    }),
  z.object({
    type: z.literal('record_notification'),
    ...onEpisode,
    party: ref,
    decision: z.enum(['notified', 'not_required']).default('notified'),
    method: optionalField,
    response: optionalField,
    reason: optionalField,
    /** Who decided it was not required, when that is someone outside the bot (the child's social worker). */
    decidedBy: optionalField,
    at: when.optional(),
  }),
  z.object({
    type: z.literal('record_contact_attempt'),
    ...onEpisode,
    method: field.trim().min(1),
    outcome: field.trim().min(1),
    at: when.optional(),
  }),
  z.object({
    type: z.literal('record_search'),
    ...onEpisode,
    who: field.trim().min(1),
    where: field.trim().min(1),
    outcome: field.trim().min(1),
    at: when.optional(),
  }),
  z.object({
    type: z.literal('set_risk'),
    ...onEpisode,
    level: z.enum(riskLevels),
    factors: z.array(ref).max(50).default([]),
    reason: field,
  }),
  z.object({
    type: z.literal('record_return'),
    ...onEpisode,
    at: when,
    how: field.trim().min(1),
    whereFound: field.trim().min(1),
    condition: field.trim().min(1),
    indicators: z.array(ref).max(50).default([]),
    notes: optionalField,
  }),
  z.object({
    type: z.literal('record_follow_up'),
    ...onEpisode,
    what: z.enum(['police_told_of_return', 'safe_and_well', 'risk_assessment_updated']),
    note: optionalField,
    at: when.optional(),
  }),
  z
    .object({
      type: z.literal('record_rhi'),
      ...onEpisode,
      status: z.enum(rhiStatuses).exclude(['none']),
      note: optionalField,
      at: when.optional(),
      // For an interview held: by whom, from where (independent of the home), whether the child
      // took part, and what was shared with the child's social worker.
      interviewer: optionalField,
      organisation: optionalField,
      independent: z.enum(['yes', 'no']).optional(),
      tookPart: z.enum(['yes', 'no']).optional(),
      sharedWithSocialWorker: optionalField,
    })
    .superRefine((c, ctx) => {
      if (c.status !== 'held') return;
      for (const field of ['interviewer', 'organisation', 'independent', 'tookPart', 'sharedWithSocialWorker'] as const)
        if (!c[field]) ctx.addIssue({ code: 'custom', path: [field], message: RHI_DETAIL_NEEDED });
      if (c.independent === 'no') ctx.addIssue({ code: 'custom', path: ['independent'], message: RHI_NOT_INDEPENDENT });
      if (c.tookPart === 'no') ctx.addIssue({ code: 'custom', path: ['tookPart'], message: RHI_CHILD_ABSENT });
    }),
  z.object({
    type: z.literal('request_signoff'),
    ...onEpisode,
    kind: z.enum(['signoff_ofsted', 'signoff_record']),
    text: field,
  }),
  z.object({
    type: z.literal('request_closure'),
    ...onEpisode,
    reason: field,
    /** Close while follow-ups are still due: they keep their reminders after closing. */
    withFollowUps: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('decide_approval'),
    ...base,
    approvalId: ref,
    decision: z.enum(['approve', 'decline']),
    note: optionalField,
  }),
  z.object({ type: z.literal('accept_handover'), ...base, handoverId: ref }),
  // Exports: `delivery` says whether the adapter uploads the bytes itself or needs a one-time link.
  z.object({ type: z.literal('export_record'), ...base, target: ref, delivery }),
  z.object({ type: z.literal('police_pack'), ...base, target: ref, delivery }),
  z.object({ type: z.literal('patterns'), ...base, child: ref.optional(), delivery }),
  z.object({
    type: z.literal('returns_csv'),
    ...base,
    /** The collection year by the year it starts in (2026 = 1 April 2026 to 31 March 2027). */
    year: z.number().int().min(2000).max(2100).optional(),
    delivery,
  }),
  z.object({
    type: z.literal('record_message'),
    ...base,
    thread: z.object({ platform, threadRef: ref }),
    messageId: ref,
    text: z.string(),
    files: z.array(z.string().max(500)).max(100).default([]),
    change: z.enum(['posted', 'edited', 'deleted']).default('posted'),
  }),
  z.object({
    type: z.literal('name_author'),
    ...base,
    /** The author of a thread message, with the name their platform gave after it was recorded. */
    actor: actorSchema.extend({ displayName: z.string().trim().min(1).max(200) }),
    thread: z.object({ platform, threadRef: ref }),
    messageId: ref,
  }),
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandOf<T extends Command['type']> = Extract<Command, { type: T }>;
