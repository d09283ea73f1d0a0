import { createHash } from 'node:crypto';
import { z } from 'zod';

/** The format tag of an exported episode record; a later shape gets a new number. */
export const RECORD_FORMAT = 'missing-episode-record/1';

const text = z.string();
const maybe = z.string().nullable();
/** A moment both ways: ISO (UTC) for machines, the home's local time for people. */
const stamp = z.object({ iso: z.iso.datetime(), local: text });
const person = z.object({ name: text, role: text });
/** Who recorded a summary's facts last, and when (absent from records exported before it was added). */
const recorded = z.object({ by: person, at: stamp }).optional();

/**
 * One entry of the record exactly as hashed (every field entryHash covers), plus its time in the
 * home's zone and its data parsed; the verifier re-derives both, so no byte of an entry can change
 * unnoticed.
 */
export const exportedEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  local: text,
  authorStaffId: maybe,
  authorName: text,
  authorRole: text,
  kind: text,
  text: text,
  data: z.record(z.string(), z.unknown()),
  dataJson: text,
  platform: maybe,
  platformMessageId: maybe,
  amendsEntryId: maybe,
  prevHash: text,
  hash: text,
});
export type ExportedEntry = z.infer<typeof exportedEntrySchema>;

/** The episode record as exported: what an inspector, court or case review reads. */
export const recordDocumentSchema = z.object({
  format: z.literal(RECORD_FORMAT),
  generated: z.object({ at: stamp, by: person }),
  home: z.object({ id: text, name: text, timeZone: text }),
  /** Name and date of birth appear here and in the police pack, never in chat. */
  child: z.object({ id: text, alias: text, name: maybe, dateOfBirth: maybe }),
  /** Until when the record is kept and by which rule (absent from records exported before it was added). */
  retention: z.object({ keepUntil: maybe, rule: text }).optional(),
  episode: z.object({
    id: text,
    status: text,
    drill: z.boolean(),
    classification: text,
    riskLevel: text,
    riskFactors: z.array(text),
    openedAt: stamp,
    closedAt: stamp.nullable(),
    lastSeen: z.object({
      at: stamp.nullable(),
      place: maybe,
      by: maybe,
      clothing: maybe,
      withWhom: maybe,
      recorded,
    }),
  }),
  /** A change a manager approved names who asked for it (and gave the reason) and who approved it. */
  classificationHistory: z.array(
    z.object({
      classification: text,
      at: stamp,
      by: person,
      reason: text,
      askedBy: person.optional(),
      approvedBy: person.optional(),
    }),
  ),
  riskHistory: z.array(
    z.object({
      level: text,
      source: text,
      factors: z.array(text),
      at: stamp,
      by: person,
      reason: text,
      askedBy: person.optional(),
      approvedBy: person.optional(),
    }),
  ),
  police: z
    .object({
      reportedAt: stamp,
      reference: text.nullable(),
      officer: text.nullable(),
      grade: text,
      reviewAt: stamp.nullable(),
      recorded,
    })
    .nullable(),
  notifications: z.array(
    z.object({
      party: text,
      partyId: text,
      decision: text,
      method: maybe,
      response: maybe,
      reason: maybe,
      at: stamp,
      by: person,
    }),
  ),
  contactAttempts: z.array(z.object({ method: text, outcome: text, at: stamp, by: person })),
  searches: z.array(z.object({ who: text, where: text, outcome: text, at: stamp, by: person })),
  return: z
    .object({
      at: stamp,
      how: maybe,
      whereFound: maybe,
      condition: maybe,
      notes: maybe,
      policeToldAt: stamp.nullable(),
      safeAndWellAt: stamp.nullable(),
      riskAssessmentUpdatedAt: stamp.nullable(),
      recorded,
    })
    .nullable(),
  exploitationIndicators: z.array(text),
  rhi: z.object({
    status: text,
    offeredAt: stamp.nullable(),
    heldAt: stamp.nullable(),
    history: z.array(
      z.object({
        status: text,
        at: stamp,
        note: maybe,
        by: person,
        /** For an interview held: who held it, from where, whether the child took part, what was shared. */
        held: z
          .object({
            interviewer: maybe,
            organisation: maybe,
            independent: z.boolean(),
            tookPart: z.boolean(),
            sharedWithSocialWorker: maybe,
          })
          .optional(),
      }),
    ),
  }),
  approvals: z.array(
    z.object({
      kind: text,
      summary: text,
      status: text,
      requestedBy: person,
      requestedAt: stamp,
      decidedBy: person.nullable(),
      decidedAt: stamp.nullable(),
      note: maybe,
    }),
  ),
  entries: z.array(exportedEntrySchema),
  /** The hash chain as checked when the file was made. */
  verification: z.object({
    ok: z.boolean(),
    entries: z.number().int().min(0),
    brokenAt: z.number().int().nullable(),
    problem: maybe,
    statement: text,
  }),
  /** sha256 of this document with `digest` empty: catches a change outside the entries too. */
  digest: text,
});
export type RecordDocument = z.infer<typeof recordDocumentSchema>;
export type Stamp = z.infer<typeof stamp>;

/** The document's digest: sha256 over its JSON with `digest` empty, keys in the file's order. */
export function documentDigest(document: Record<string, unknown>): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...document, digest: '' }))
    .digest('hex');
}

/** The verification line, in words. */
export function chainStatement(check: { ok: true; entries: number } | { ok: false; seq: number; problem: string }) {
  return check.ok
    ? `The hash chain checks out: all ${check.entries} entries are present, in order and unchanged since they were written.`
    : `The hash chain breaks at entry ${check.seq}: ${check.problem}. Entries from ${check.seq} on cannot be relied on as unaltered.`;
}
