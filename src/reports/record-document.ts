import { keepUntil } from '../domain/retention.ts';
import { verifyChain, type RecordEntry } from '../domain/record.ts';
import { approvalSummary } from '../messages/cards.ts';
import type {
  ApprovalRecord,
  ContactAttemptRecord,
  NotificationRecord,
  PastEpisode,
  RiskChangeRecord,
} from '../ports/store.ts';
import type { Protocol } from '../protocol/schema.ts';
import {
  chainStatement,
  documentDigest,
  RECORD_FORMAT,
  recordDocumentSchema,
  type ExportedEntry,
  type RecordDocument,
} from './record-schema.ts';
import { localStamp, maybeStamp, stampOf } from './time.ts';

/** Everything the export reads about one episode, gathered by the engine in one transaction. */
export interface RecordInput {
  generatedAt: Date;
  generatedBy: { name: string; role: string };
  home: { id: string; name: string; timeZone: string };
  child: { id: string; alias: string; name?: string | undefined; dateOfBirth?: string | undefined };
  episode: PastEpisode;
  protocol: Protocol;
  /** Staff by id, for the names and roles of whoever did each thing. */
  people: Map<string, { name: string; role: string }>;
  classifications: { classification: string; at: Date; byStaffId: string; reason: string }[];
  risks: RiskChangeRecord[];
  notifications: NotificationRecord[];
  contactAttempts: ContactAttemptRecord[];
  approvals: ApprovalRecord[];
  entries: RecordEntry[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const date = (v: unknown): Date | null => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : null);

/** One entry as exported: every hashed field, plus its local time and its data parsed. */
export function exportEntry(e: RecordEntry, timeZone: string): ExportedEntry {
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(e.dataJson);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  } catch {
    // Kept verbatim in dataJson; the verifier will name the entry.
  }
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    local: localStamp(e.at, timeZone),
    authorStaffId: e.authorStaffId,
    authorName: e.authorName,
    authorRole: e.authorRole,
    kind: e.kind,
    text: e.text,
    data,
    dataJson: e.dataJson,
    platform: e.platform,
    platformMessageId: e.platformMessageId,
    amendsEntryId: e.amendsEntryId,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** Builds the record document: header, the summaries the record must show, every entry, the chain check. */
export function buildRecordDocument(input: RecordInput): RecordDocument {
  const { episode: e, home, protocol } = input;
  const tz = home.timeZone;
  const stamp = (at: Date) => stampOf(at, tz);
  const who = (staffId: string | null) =>
    (staffId ? input.people.get(staffId) : undefined) ?? { name: staffId ?? 'unknown', role: 'unknown' };
  /**
   * A change made by a manager's approval was asked for by someone else, who gave the reason: the
   * history names both (the approval decided at the moment the change was made).
   */
  const askedAndApproved = (kind: ApprovalRecord['kind'], at: Date, by: string, to: string) => {
    // The approval decided by this change's author at its moment, to the value it was changed to.
    const a = input.approvals.find(
      (x) =>
        x.kind === kind &&
        x.status === 'approved' &&
        x.decidedByStaffId === by &&
        x.payload.to === to &&
        x.decidedAt?.getTime() === at.getTime(),
    );
    return a && a.decidedByStaffId ? { askedBy: who(a.requestedByStaffId), approvedBy: who(a.decidedByStaffId) } : {};
  };
  const byAuthor = (entry: RecordEntry) => ({ name: entry.authorName, role: entry.authorRole });
  const factorLabel = (id: string) => protocol.riskFactors.find((f) => f.id === id)?.label ?? id;
  const partyLabel = (id: string) => protocol.notificationParties.find((p) => p.id === id)?.label ?? id;
  const ofKind = (kind: string) => input.entries.filter((entry) => entry.kind === kind);
  /** Who wrote the latest entry of these kinds, and when: the summary's facts are theirs. */
  const recordedBy = (...kinds: string[]) => {
    const entry = input.entries.filter((x) => kinds.includes(x.kind)).at(-1);
    return entry ? { recorded: { by: byAuthor(entry), at: stamp(entry.at) } } : {};
  };
  const dataOf = (entry: RecordEntry) => exportEntry(entry, tz).data;
  const ret = e.returnDetails ?? {};
  const indicatorIds = Array.isArray(ret.indicators) ? ret.indicators.filter((i) => typeof i === 'string') : [];
  const check = verifyChain(input.entries);

  const document: RecordDocument = {
    format: RECORD_FORMAT,
    generated: { at: stamp(input.generatedAt), by: input.generatedBy },
    home: { id: home.id, name: home.name, timeZone: tz },
    child: {
      id: input.child.id,
      alias: input.child.alias,
      name: input.child.name ?? null,
      dateOfBirth: input.child.dateOfBirth ?? null,
    },
    retention: {
      keepUntil: keepUntil(input.child.dateOfBirth, input.protocol.retention.years),
      rule: input.protocol.retention.rule,
    },
    episode: {
      id: e.id,
      status: e.status,
      drill: e.isDrill,
      classification: e.classification,
      riskLevel: e.riskLevel,
      riskFactors: e.riskFactors.map(factorLabel),
      openedAt: stamp(e.openedAt),
      closedAt: maybeStamp(e.closedAt, tz),
      lastSeen: {
        at: maybeStamp(e.lastSeenAt, tz),
        place: e.lastSeenPlace,
        by: e.lastSeenBy,
        clothing: e.clothing,
        withWhom: e.withWhom,
        ...(e.lastSeenAt || e.lastSeenPlace ? recordedBy('episode_opened', 'last_seen') : {}),
      },
    },
    classificationHistory: input.classifications.map((c) => ({
      classification: c.classification,
      at: stamp(c.at),
      by: who(c.byStaffId),
      reason: c.reason,
      ...askedAndApproved('downgrade_classification', c.at, c.byStaffId, c.classification),
    })),
    riskHistory: input.risks.map((r) => ({
      level: r.level,
      source: r.source,
      factors: r.factors.map(factorLabel),
      at: stamp(r.at),
      by: who(r.byStaffId),
      reason: r.reason,
      ...askedAndApproved('downgrade_risk', r.at, r.byStaffId, r.level),
    })),
    police: e.police
      ? {
          reportedAt: stamp(e.police.reportedAt),
          reference: e.police.reference,
          officer: e.police.officer,
          grade: e.police.grade,
          reviewAt: maybeStamp(e.police.reviewAt, tz),
          ...recordedBy('police_report'),
        }
      : null,
    notifications: input.notifications.map((n) => ({
      party: partyLabel(n.party),
      partyId: n.party,
      decision: n.decision,
      method: n.method,
      response: n.response,
      reason: n.reason,
      at: stamp(n.at),
      by: who(n.byStaffId),
    })),
    contactAttempts: input.contactAttempts.map((a) => ({
      method: a.method,
      outcome: a.outcome,
      at: stamp(a.at),
      by: who(a.byStaffId),
    })),
    searches: ofKind('search').map((entry) => {
      const d = dataOf(entry);
      return {
        who: str(d.who) ?? '',
        where: str(d.where) ?? '',
        outcome: str(d.outcome) ?? '',
        at: stamp(date(d.at) ?? entry.at),
        by: byAuthor(entry),
      };
    }),
    return: e.returnedAt
      ? {
          at: stamp(e.returnedAt),
          how: str(ret.how),
          whereFound: str(ret.whereFound),
          condition: str(ret.condition),
          notes: str(ret.notes),
          policeToldAt: maybeStamp(e.policeToldOfReturnAt, tz),
          safeAndWellAt: maybeStamp(e.safeAndWellAt, tz),
          riskAssessmentUpdatedAt: maybeStamp(e.riskAssessmentUpdatedAt, tz),
          ...recordedBy('returned'),
        }
      : null,
    exploitationIndicators: indicatorIds.map(
      (id) => protocol.exploitationIndicators.find((x) => x.id === id)?.label ?? id,
    ),
    rhi: {
      status: e.rhi.status,
      offeredAt: maybeStamp(e.rhi.offeredAt, tz),
      heldAt: maybeStamp(e.rhi.heldAt, tz),
      history: ofKind('rhi').map((entry) => {
        const d = dataOf(entry);
        const held = d.held && typeof d.held === 'object' ? (d.held as Record<string, unknown>) : null;
        return {
          status: str(d.status) ?? '',
          at: stamp(date(d.at) ?? entry.at),
          note: str(d.note),
          by: byAuthor(entry),
          ...(held
            ? {
                held: {
                  interviewer: str(held.interviewer),
                  organisation: str(held.organisation),
                  independent: held.independent === true,
                  tookPart: held.tookPart === true,
                  sharedWithSocialWorker: str(held.sharedWithSocialWorker),
                },
              }
            : {}),
        };
      }),
    },
    approvals: input.approvals.map((a) => ({
      kind: a.kind,
      summary: approvalSummary(a),
      status: a.status,
      requestedBy: who(a.requestedByStaffId),
      requestedAt: stamp(a.requestedAt),
      decidedBy: a.decidedByStaffId ? who(a.decidedByStaffId) : null,
      decidedAt: maybeStamp(a.decidedAt, tz),
      note: a.note,
    })),
    entries: input.entries.map((entry) => exportEntry(entry, tz)),
    verification: {
      ok: check.ok,
      entries: input.entries.length,
      brokenAt: check.ok ? null : check.seq,
      problem: check.ok ? null : check.problem,
      statement: chainStatement(check),
    },
    digest: '',
  };
  // Parsing proves the document matches its published shape before anyone receives it.
  const parsed = recordDocumentSchema.parse(document);
  return { ...parsed, digest: documentDigest(parsed) };
}

/** The document as the JSON file people receive. */
export const recordJson = (document: RecordDocument): string => `${JSON.stringify(document, null, 2)}\n`;
