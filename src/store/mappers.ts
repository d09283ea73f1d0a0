import { z } from 'zod';
import { rhiStatuses, type Episode, type ItemState, type Platform } from '../domain/episode.ts';
import type { RecordEntry } from '../domain/record.ts';
import type { OutboundMessage } from '../messages/outbound.ts';
import { storedPlanSchema } from '../protocol/plan.ts';
import { homePolicySchema, weekdays } from '../protocol/policy.ts';
import { homeKinds } from '../protocol/protocols.ts';
import { classifications, riskLevels, roles } from '../protocol/schema.ts';
import type { ChildRecord, HomeRecord, PingRecord, StaffRecord } from '../ports/store.ts';
import type { Prisma } from './generated/sqlite/client.ts';
import { readJson, stringList } from './json.ts';

/** What Home.configJson holds. */
export const storedHomeSchema = z.object({
  /** Homes stored before fostering services existed are children's homes. */
  kind: z.enum(homeKinds).default('childrens_home'),
  /** Where the home comes in the configuration: homes are listed in that order. */
  position: z.number().int().min(0).default(0),
  policy: homePolicySchema,
  shiftChanges: z.array(z.string()).default([]),
  onCall: z.array(z.string()).default([]),
  rota: z
    .array(z.object({ starts: z.string(), days: z.array(z.enum(weekdays)).optional(), staff: z.array(z.string()) }))
    .default([]),
  /** Staff ids in the order the configuration lists them (approvals go down this list). */
  staffOrder: z.array(z.string()).default([]),
});
export type StoredHome = z.infer<typeof storedHomeSchema>;

const platformSchema = z.enum(['slack', 'teams', 'web']);
export const asPlatform = (v: string): Platform => platformSchema.parse(v);

type HomeRow = Prisma.HomeGetPayload<{ include: { channels: true } }>;

export const toHome = (row: HomeRow): HomeRecord => homeOf(row, readStoredHome(row));

/** Homes in the configuration's order (the first home is the playground's default). */
export function toHomesInOrder(rows: HomeRow[]): HomeRecord[] {
  return rows
    .map((row) => ({ row, stored: readStoredHome(row) }))
    .sort((a, b) => a.stored.position - b.stored.position)
    .map(({ row, stored }) => homeOf(row, stored));
}

const readStoredHome = (row: HomeRow) => readJson(storedHomeSchema, row.configJson, `configuration of home ${row.id}`);

function homeOf(row: HomeRow, stored: StoredHome): HomeRecord {
  return {
    id: row.id,
    name: row.name,
    kind: stored.kind,
    timeZone: row.timeZone,
    policy: stored.policy,
    shiftChanges: stored.shiftChanges,
    onCall: stored.onCall,
    rota: stored.rota,
    staffOrder: stored.staffOrder,
    channels: row.channels.map((c) => ({ platform: asPlatform(c.platform), channelRef: c.channelRef })),
  };
}

export function toStaff(row: Prisma.StaffGetPayload<object>): StaffRecord {
  return {
    id: row.id,
    homeId: row.homeId,
    displayName: row.displayName,
    role: z.enum(roles).parse(row.role),
    active: row.active,
  };
}

export function toChild(row: Prisma.ChildGetPayload<object>): ChildRecord {
  const stored = readJson(storedPlanSchema, row.planJson, `plan of child ${row.id}`);
  return {
    id: row.id,
    homeId: row.homeId,
    alias: row.alias,
    plan: stored.plan,
    personal: stored.personal,
    placement: stored.placement,
    active: row.active,
    riskReviewedAt: row.riskReviewedAt,
  };
}

/** What episodes.get loads with the episode row. */
export const episodeInclude = {
  child: { select: { alias: true } },
  checklist: true,
  contactAttempts: { orderBy: { at: 'desc' }, take: 1, select: { at: true } },
  risks: { where: { source: 'internal' }, orderBy: { at: 'asc' }, select: { level: true, at: true } },
  notifications: { where: { party: 'police', decision: 'not_required' }, take: 1, select: { at: true } },
} satisfies Prisma.EpisodeInclude;
type EpisodeRow = Prisma.EpisodeGetPayload<{ include: typeof episodeInclude }>;

/** The time the internal rating last rose to high, if it is high now. */
function highRiskSince(risks: { level: string; at: Date }[]): Date | null {
  let since: Date | null = null;
  for (const r of risks) {
    if (r.level === 'high') since ??= r.at;
    else since = null;
  }
  return since;
}

export function toEpisode(row: EpisodeRow): Episode {
  const checklist: Record<string, ItemState> = {};
  for (const item of row.checklist) {
    checklist[item.itemId] = {
      status: z.enum(['done', 'not_applicable']).parse(item.status),
      reason: item.reason,
      byStaffId: item.byStaffId,
      at: item.at,
    };
  }
  const police = row.policeReportedAt
    ? {
        reportedAt: row.policeReportedAt,
        reference: row.policeReference,
        officer: row.policeOfficer || null,
        grade: z.enum(riskLevels).parse(row.policeGrade),
        reviewAt: row.policeReviewAt,
      }
    : null;
  return {
    id: row.id,
    homeId: row.homeId,
    childId: row.childId,
    alias: row.child.alias,
    status: z.enum(['open', 'returned', 'closed']).parse(row.status),
    classification: z.enum(classifications).parse(row.classification),
    riskLevel: z.enum(riskLevels).parse(row.riskLevel),
    riskFactors: readJson(stringList, row.riskFactorsJson, 'risk factors'),
    isDrill: row.isDrill,
    drillSpeed: row.drillSpeed,
    openedAt: row.openedAt,
    lastSeenAt: row.lastSeenAt,
    lastSeenPlace: row.lastSeenPlace,
    lastSeenBy: row.lastSeenBy,
    clothing: row.clothing,
    withWhom: row.withWhom,
    platform: asPlatform(row.platform),
    threadRef: row.threadRef,
    police,
    returnedAt: row.returnedAt,
    policeToldOfReturnAt: row.policeToldOfReturnAt,
    safeAndWellAt: row.safeAndWellAt,
    riskAssessmentUpdatedAt: row.riskAssessmentUpdated,
    rhi: { status: z.enum(rhiStatuses).parse(row.rhiStatus), offeredAt: row.rhiOfferedAt, heldAt: row.rhiHeldAt },
    closedAt: row.closedAt,
    checklist,
    lastContactAttemptAt: row.contactAttempts[0]?.at ?? null,
    highRiskSince: highRiskSince(row.risks),
    previousEpisodeId: row.previousEpisodeId,
    openedByStaffId: row.openedByStaffId,
    historyNote: row.historyNote,
    policeNotRequiredAt: row.notifications[0]?.at ?? null,
  };
}

export function toEntry(row: Prisma.LogEntryGetPayload<object>): RecordEntry & { id: string } {
  return {
    id: row.id,
    episodeId: row.episodeId,
    seq: row.seq,
    at: row.at,
    authorStaffId: row.authorStaffId,
    authorName: row.authorName,
    authorRole: row.authorRole,
    kind: row.kind,
    text: row.text,
    dataJson: row.dataJson,
    platform: row.platform,
    platformMessageId: row.platformMessageId,
    amendsEntryId: row.amendsEntryId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** What OutboxMessage.payloadJson holds. */
export const outboundSchema: z.ZodType<OutboundMessage> = z.custom<OutboundMessage>(
  (v) => typeof v === 'object' && v !== null && 'target' in v && 'card' in v,
  'not an outbound message',
);

/** A stored ping. */
export const toPing = (row: Prisma.PingGetPayload<object>): PingRecord => ({
  id: row.id,
  key: row.key,
  homeId: row.homeId,
  episodeId: row.episodeId,
  rule: row.rule,
  audience: row.audience,
  dueAt: row.dueAt,
  status: z.enum(['pending', 'sent', 'cancelled']).parse(row.status),
});
