import { z } from 'zod';

/** Where an episode is in the protocol; each stage has its own checklist. */
export const stageIds = ['establish', 'notify', 'search', 'return', 'review'] as const;
export type StageId = (typeof stageIds)[number];

/** Roles a member of staff can hold; the protocol addresses pings and approvals to roles. */
export const roles = [
  'manager',
  'deputy_manager',
  'senior_support_worker',
  'support_worker',
  // A fostering service's people: the carers a child is placed with, and the agency's social
  // workers who supervise them.
  'foster_carer',
  'supervising_social_worker',
] as const;
export type Role = (typeof roles)[number];

/**
 * Who a ping is for: the episode thread, the home's managers, whoever is on call, or the child's
 * placement (in a fostering service: the foster carers and their supervising social worker).
 */
export const audiences = ['thread', 'managers', 'on_call', 'placement'] as const;
export type Audience = (typeof audiences)[number];

/** Internal risk rating, aligned with the police grades (very low to high). */
export const riskLevels = ['no_apparent_risk', 'very_low', 'low', 'medium', 'high'] as const;
export type RiskLevel = (typeof riskLevels)[number];

export const classifications = ['missing', 'absent', 'away_without_authorisation'] as const;
export type Classification = (typeof classifications)[number];

/**
 * The moments a deadline can be counted from. `reportAfter` is the child's own plan: the time by
 * which the police must have been told.
 */
export const anchors = [
  'opened',
  'lastSeen',
  'reportAfter',
  'returned',
  'lastContactAttempt',
  'riskRaised',
  'policeReported',
] as const;
export type Anchor = (typeof anchors)[number];

/**
 * The named reasons a ping exists. Each names a predicate over the episode in
 * src/domain/ladder.ts; when the predicate stops holding, the ping is cancelled.
 */
export const ladderConditions = [
  'stageItemsOpen',
  'policeNotTold',
  'policeReferenceToFollow',
  'stillMissing',
  'highRiskNotEscalated',
  'policeNotToldOfReturn',
  'rhiNotHeld',
  'rhiNotArranged',
  'safeAndWellNotRecorded',
  'riskAssessmentNotUpdated',
  'reg40DecisionNotRecorded',
  'carePlanReviewNotAsked',
  'onChildProtectionPlanStillMissing',
  /** Until the episode is closed, while any of the rung's `items` is not dealt with. */
  'itemsOpen',
  /** From the opening, missing or back, until the decision on telling Ofsted is recorded. */
  'ofstedDecisionNotRecorded',
] as const;
export type LadderCondition = (typeof ladderConditions)[number];

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');
const text = z.string().trim().min(1).max(500);

/** The contacts a child's plan holds, which a checklist item may name as whom to call. */
export const contactKeys = [
  'socialWorker',
  'iro',
  'placingAuthorityEdt',
  'parentsWithPR',
  'supervisingSocialWorker',
  'agencyOnCall',
] as const;
export type ContactKey = (typeof contactKeys)[number];

/** The yes/no answers of a child's plan that an item can depend on (see src/protocol/plan.ts). */
export const planFlags = ['notifyIro', 'notifyParents', 'section20'] as const;
export type PlanFlag = (typeof planFlags)[number];

export const checklistItemSchema = z.object({
  id,
  stage: z.enum(stageIds),
  label: text,
  /** Why the item matters or how to do it, shown under the label. */
  help: z.string().max(500).optional(),
  /**
   * Whom to call, from the child's plan: in the home's office hours, and outside them (the
   * emergency duty team for the social worker). Shown with the item, naming which applies now.
   */
  call: z.object({ inHours: z.enum(contactKeys).optional(), outOfHours: z.enum(contactKeys).optional() }).optional(),
  /** Some items can never be "not applicable" (reporting to police when the child is missing). */
  canBeNotApplicable: z.boolean().default(true),
  /**
   * Due only when the child's plan says so: otherwise marked not applicable at opening, with the
   * plan's reason in the record (the IRO only if the plan asks; parents unless it says not).
   */
  onlyIf: z.object({ plan: z.enum(planFlags), otherwise: text }).optional(),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const stageSchema = z.object({
  id: z.enum(stageIds),
  title: text,
  summary: text,
});
export type Stage = z.infer<typeof stageSchema>;

export const riskFactorSchema = z.object({
  id,
  label: text,
  /** The internal rating this factor raises the episode to, at least. */
  raisesTo: z.enum(riskLevels),
});
export type RiskFactor = z.infer<typeof riskFactorSchema>;

export const exploitationIndicatorSchema = z.object({ id, label: text });
export type ExploitationIndicator = z.infer<typeof exploitationIndicatorSchema>;

export const notificationPartySchema = z.object({
  id,
  label: text,
  /** The checklist item a notification to this party completes. */
  ticks: id.optional(),
});
export type NotificationParty = z.infer<typeof notificationPartySchema>;

export const ladderRungSchema = z
  .object({
    id,
    /**
     * What the ping says, in plain words; `{alias}`, `{rhiDue}` (the interview's 72-hour limit) and
     * `{deadline}` (the rung's own limit, below) are filled in when it is sent.
     */
    text: text,
    /** What is due, in a few words, for the episode card's "next" line ("Report to the police"). */
    title: z.string().trim().min(1).max(80).optional(),
    audience: z.enum(audiences),
    anchor: z.enum(anchors),
    afterMinutes: z.number().int().min(0),
    /** The limit the reminder comes ahead of, counted from the same anchor ("held within 3 days"). */
    deadlineMinutes: z.number().int().positive().optional(),
    /** Repeat while the condition holds (contact attempts, monthly meetings). */
    repeatEveryMinutes: z.number().int().positive().optional(),
    when: z.enum(ladderConditions),
    /** For `stageItemsOpen`: which stage's items. */
    stage: z.enum(stageIds).optional(),
    /** For `itemsOpen`: which items. */
    items: z.array(id).min(1).optional(),
  })
  .refine((r) => r.deadlineMinutes === undefined || r.deadlineMinutes >= r.afterMinutes, {
    path: ['deadlineMinutes'],
    message: 'the limit must not come before the first reminder',
  });
export type LadderRung = z.infer<typeof ladderRungSchema>;

export const protocolSchema = z
  .object({
    version: z.string(),
    stages: z.array(stageSchema).min(1),
    checklist: z.array(checklistItemSchema).min(1),
    riskFactors: z.array(riskFactorSchema).min(1),
    exploitationIndicators: z.array(exploitationIndicatorSchema).min(1),
    ladder: z.array(ladderRungSchema).min(1),
    notificationParties: z.array(notificationPartySchema).min(1),
    /** Hours within which the return home interview must be offered and held (national rule). */
    rhiWithinHours: z.number().int().positive(),
    /** How often contact attempts are due while the child is missing, by default. */
    contactAttemptEveryMinutes: z.number().int().positive(),
    /** How long a manager has to decide an approval before it goes to the next manager. */
    approvalTimeoutMinutes: z.number().int().positive(),
    /**
     * Who decides that a missing child need not be reported to the police: in a children's home a
     * manager, asked in the thread; in foster care the child's social worker, whose decision the
     * carer records with their name.
     */
    policeDecidedBy: z.enum(['manager', 'childs_social_worker']),
    /** The decision on telling Ofsted, as the follow-ups and the record name it. */
    ofstedDecision: text,
    /** How long a child's record is kept, counted from their date of birth, and the rule that says so. */
    retention: z.object({ years: z.number().int().positive(), rule: text }),
  })
  .superRefine((p, ctx) => {
    const unique = (kind: string, ids: string[]) => {
      const seen = new Set<string>();
      for (const x of ids) {
        if (seen.has(x)) ctx.addIssue({ code: 'custom', message: `duplicate ${kind} id "${x}"` });
        seen.add(x);
      }
    };
    unique(
      'checklist item',
      p.checklist.map((i) => i.id),
    );
    unique(
      'risk factor',
      p.riskFactors.map((f) => f.id),
    );
    unique(
      'ladder rung',
      p.ladder.map((r) => r.id),
    );
    const itemIds = new Set(p.checklist.map((i) => i.id));
    for (const party of p.notificationParties) {
      if (party.ticks && !itemIds.has(party.ticks))
        ctx.addIssue({
          code: 'custom',
          message: `notification party "${party.id}" ticks unknown item "${party.ticks}"`,
        });
    }
    for (const rung of p.ladder) {
      if (rung.when === 'stageItemsOpen' && !rung.stage)
        ctx.addIssue({ code: 'custom', message: `ladder rung "${rung.id}" needs a stage` });
      if (rung.when === 'itemsOpen' && !rung.items)
        ctx.addIssue({ code: 'custom', message: `ladder rung "${rung.id}" needs its items` });
      for (const item of rung.items ?? [])
        if (!itemIds.has(item))
          ctx.addIssue({ code: 'custom', message: `ladder rung "${rung.id}" names unknown item "${item}"` });
    }
  });
export type Protocol = z.infer<typeof protocolSchema>;
