import { z } from 'zod';

const shortText = z.string().trim().max(500);

/**
 * A child's plan, decided before any episode. The alias is what chat shows; name and date of
 * birth appear only in the export and the police pack.
 */
export const childPlanSchema = z.object({
  /** Minutes of checks before the police must be told; 0 = report immediately. */
  reportAfterMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  riskFactors: z.array(z.string()).default([]),
  /** When the child's risk assessment was last reviewed; a review is due every few months. */
  riskAssessmentReviewedOn: z.iso.date().optional(),
  onChildProtectionPlan: z.boolean().default(false),
  notifyIro: z.boolean().default(false),
  notifyParents: z.boolean().default(true),
  /**
   * Accommodated under section 20 (with the parents' consent): the parents keep parental
   * responsibility, so a child found with them cannot simply be brought back.
   */
  section20: z.boolean().default(false),
  legalStatus: shortText.optional(),
  responsibleAuthority: shortText.optional(),
  medicalNeeds: shortText.optional(),
  associates: z.array(shortText).default([]),
  places: z.array(shortText).default([]),
  description: shortText.optional(),
  /**
   * The profile kept ready for the police (the Philomena Protocol): phone numbers, social media
   * accounts, where the recent photo is kept (the photo itself never goes in chat or here), and
   * when the profile was last checked. Kept in the homes file, which only managers edit.
   */
  phones: z.array(shortText).default([]),
  socialMedia: z.array(shortText).default([]),
  photoKept: shortText.optional(),
  profileUpdatedOn: z.iso.date().optional(),
  contacts: z
    .object({
      socialWorker: shortText.optional(),
      iro: shortText.optional(),
      placingAuthorityEdt: shortText.optional(),
      parentsWithPR: shortText.optional(),
      /** In foster care: the agency's supervising social worker, and its on-call out of hours. */
      supervisingSocialWorker: shortText.optional(),
      agencyOnCall: shortText.optional(),
    })
    .default({}),
});
export type ChildPlan = z.infer<typeof childPlanSchema>;

/** Personal details that never go to chat. */
export const childPersonalSchema = z.object({
  name: shortText.optional(),
  dateOfBirth: z.iso.date().optional(),
  /**
   * The local authority's identifier for the child (the CHILD of its SSDA903 Header table), for the
   * returns: at most 10 letters and digits, so no spreadsheet can read it as anything else.
   */
  authorityChildId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{1,10}$/, 'use the local authority’s child identifier: up to 10 letters and digits')
    .optional(),
});
export type ChildPersonal = z.infer<typeof childPersonalSchema>;

const staffId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use the staff id from this home’s staff list');

/** In a fostering service: the carers a child is placed with and the social worker who supervises them (staff ids). */
export const placementSchema = z.object({
  carers: z.array(staffId).min(1, 'name the foster carers the child is placed with'),
  supervisingSocialWorker: staffId,
});
export type Placement = z.infer<typeof placementSchema>;

/** What the store keeps for a child's plan (validated again when read back). */
export const storedPlanSchema = z.object({
  plan: childPlanSchema,
  personal: childPersonalSchema,
  placement: placementSchema.nullable().default(null),
});
export type StoredPlan = z.infer<typeof storedPlanSchema>;
