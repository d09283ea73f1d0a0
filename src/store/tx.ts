import { z } from 'zod';
import type { Platform } from '../domain/episode.ts';
import type { OutboundMessage } from '../messages/outbound.ts';
import type { ApprovalKind, ApprovalRecord, EpisodePatch, PingRecord, Tx } from '../ports/store.ts';
import { classifications } from '../protocol/schema.ts';
import type { Prisma } from './generated/sqlite/client.ts';
import { prismaExports, prismaHistory } from './history.ts';
import { entryInsert, eventInsert } from './record-sql.ts';
import { looseObject, readJson } from './json.ts';
import {
  asPlatform,
  episodeInclude,
  outboundSchema,
  toChild,
  toEntry,
  toEpisode,
  toHome,
  toHomesInOrder,
  toPing,
  toStaff,
} from './mappers.ts';

type Client = Prisma.TransactionClient;

function episodeData(patch: EpisodePatch): Prisma.EpisodeUncheckedUpdateInput {
  const { police, rhi, returnDetails, riskFactors, riskAssessmentUpdatedAt, ...plain } = patch;
  const data: Prisma.EpisodeUncheckedUpdateInput = { ...plain };
  // Only a missing child holds the slot: once returned, a new report opens a new episode.
  if (patch.status && patch.status !== 'open') data.openChildId = null;
  if (riskFactors) data.riskFactorsJson = JSON.stringify(riskFactors);
  if (returnDetails) data.returnJson = JSON.stringify(returnDetails);
  if (riskAssessmentUpdatedAt !== undefined) data.riskAssessmentUpdated = riskAssessmentUpdatedAt;
  if (police !== undefined) {
    data.policeReportedAt = police?.reportedAt ?? null;
    data.policeReference = police?.reference ?? null;
    data.policeOfficer = police?.officer ?? null;
    data.policeGrade = police?.grade ?? null;
    data.policeReviewAt = police?.reviewAt ?? null;
  }
  if (rhi) {
    data.rhiStatus = rhi.status;
    data.rhiOfferedAt = rhi.offeredAt;
    data.rhiHeldAt = rhi.heldAt;
  }
  return data;
}

const approvalKinds = z.enum([
  'downgrade_classification',
  'downgrade_risk',
  'closure',
  'signoff_ofsted',
  'signoff_record',
  'police_not_required',
]) satisfies z.ZodType<ApprovalKind>;
export function toApproval(row: Prisma.ApprovalGetPayload<object>): ApprovalRecord {
  return {
    id: row.id,
    episodeId: row.episodeId,
    kind: approvalKinds.parse(row.kind) as ApprovalKind,
    status: z.enum(['pending', 'approved', 'declined']).parse(row.status),
    payload: readJson(looseObject, row.payloadJson, 'approval payload'),
    requestedByStaffId: row.requestedByStaffId,
    requestedAt: row.requestedAt,
    decidedByStaffId: row.decidedByStaffId,
    decidedAt: row.decidedAt,
    note: row.note,
  };
}

/** The engine's transaction port, implemented over one Prisma transaction client. */
export function prismaTx(db: Client): Tx {
  return {
    homes: {
      get: async (id) => {
        const row = await db.home.findUnique({ where: { id }, include: { channels: true } });
        return row ? toHome(row) : null;
      },
      findByChannel: async (platform, channelRef) => {
        const channel = await db.homeChannel.findUnique({
          where: { platform_channelRef: { platform, channelRef } },
          include: { home: { include: { channels: true } } },
        });
        return channel ? toHome(channel.home) : null;
      },
      // In the configuration's order (the first home is the playground's default).
      list: async () => toHomesInOrder(await db.home.findMany({ include: { channels: true }, orderBy: { id: 'asc' } })),
    },
    staff: {
      get: async (id) => {
        const row = await db.staff.findUnique({ where: { id } });
        return row ? toStaff(row) : null;
      },
      // Always read: who may act (requireStaff) must follow the homes file at once. Only the
      // record path's naming of a message's author uses the kept directory (prisma-store.ts).
      findByIdentity: async (platform, platformUserId) => {
        const identity = await db.staffIdentity.findUnique({
          where: { platform_platformUserId: { platform, platformUserId } },
          include: { staff: true },
        });
        return identity ? toStaff(identity.staff) : null;
      },
      listForHome: async (homeId) =>
        (await db.staff.findMany({ where: { homeId }, orderBy: { id: 'asc' } })).map(toStaff),
      identities: async (staffId) =>
        (await db.staffIdentity.findMany({ where: { staffId } })).map((i) => ({
          platform: asPlatform(i.platform),
          platformUserId: i.platformUserId,
        })),
      identitiesInHome: async (homeId) => {
        const byStaff = new Map<string, { platform: Platform; platformUserId: string }[]>();
        for (const i of await db.staffIdentity.findMany({ where: { staff: { homeId } } })) {
          const list = byStaff.get(i.staffId) ?? [];
          list.push({ platform: asPlatform(i.platform), platformUserId: i.platformUserId });
          byStaff.set(i.staffId, list);
        }
        return byStaff;
      },
    },
    children: {
      get: async (id) => {
        const row = await db.child.findUnique({ where: { id } });
        return row ? toChild(row) : null;
      },
      findByAlias: async (homeId, alias) => {
        // Aliases are short initials; match them whatever the case the person typed.
        const rows = await db.child.findMany({ where: { homeId } });
        const row = rows.find((c) => c.alias.toLowerCase() === alias.toLowerCase());
        return row ? toChild(row) : null;
      },
      listForHome: async (homeId) =>
        (await db.child.findMany({ where: { homeId }, orderBy: { alias: 'asc' } })).map(toChild),
      riskReviewed: async (id, at) => {
        await db.child.updateMany({
          where: { id, OR: [{ riskReviewedAt: null }, { riskReviewedAt: { lt: at } }] },
          data: { riskReviewedAt: at },
        });
      },
    },
    episodes: {
      get: async (id) => {
        const row = await db.episode.findUnique({ where: { id }, include: episodeInclude });
        return row ? toEpisode(row) : null;
      },
      findMissingForChild: async (childId) => {
        const row = await db.episode.findUnique({ where: { openChildId: childId }, include: episodeInclude });
        return row ? toEpisode(row) : null;
      },
      listActiveForChild: async (childId) =>
        (
          await db.episode.findMany({
            where: {
              childId,
              OR: [{ status: { not: 'closed' } }, { status: 'closed', pings: { some: { status: 'pending' } } }],
            },
            include: episodeInclude,
            orderBy: { openedAt: 'asc' },
          })
        ).map(toEpisode),
      findByThread: async (platform, threadRef) => {
        const row = await db.episode.findFirst({ where: { platform, threadRef }, include: episodeInclude });
        return row ? toEpisode(row) : null;
      },
      listActive: async (homeId) =>
        (
          await db.episode.findMany({
            where: {
              // A closed episode stays in view while its follow-ups still have reminders to come.
              OR: [{ status: { not: 'closed' } }, { status: 'closed', pings: { some: { status: 'pending' } } }],
              ...(homeId ? { homeId } : {}),
            },
            include: episodeInclude,
            orderBy: { openedAt: 'asc' },
          })
        ).map(toEpisode),
      create: async (d) => {
        const { riskFactors, ...rest } = d;
        const row = await db.episode.create({
          data: { ...rest, riskFactorsJson: JSON.stringify(riskFactors), openChildId: d.childId, status: 'open' },
          select: { id: true },
        });
        return row.id;
      },
      update: async (id, patch) => {
        await db.episode.update({ where: { id }, data: episodeData(patch) });
      },
      setItem: async (episodeId, itemId, s) => {
        await db.checklistItemState.upsert({
          where: { episodeId_itemId: { episodeId, itemId } },
          create: { episodeId, itemId, status: s.status, reason: s.reason, byStaffId: s.byStaffId, at: s.at },
          update: { status: s.status, reason: s.reason, byStaffId: s.byStaffId, at: s.at },
        });
      },
      addClassification: async (episodeId, c) => {
        await db.classificationChange.create({ data: { episodeId, ...c } });
      },
      addRisk: async (episodeId, r) => {
        const { factors, ...rest } = r;
        await db.riskChange.create({ data: { episodeId, ...rest, factorsJson: JSON.stringify(factors) } });
      },
      addNotification: async (episodeId, n) => {
        await db.notification.create({ data: { episodeId, ...n } });
      },
      addContactAttempt: async (episodeId, a) => {
        await db.contactAttempt.create({ data: { episodeId, ...a } });
      },
      classificationHistory: async (episodeId) =>
        (await db.classificationChange.findMany({ where: { episodeId }, orderBy: { at: 'asc' } })).map((c) => ({
          classification: z.enum(classifications).parse(c.classification),
          at: c.at,
          byStaffId: c.byStaffId,
          reason: c.reason,
        })),
    },
    approvals: {
      create: async (a) => {
        const { payload, ...rest } = a;
        const row = await db.approval.create({
          data: { ...rest, status: 'pending', payloadJson: JSON.stringify(payload) },
          select: { id: true },
        });
        return row.id;
      },
      get: async (id) => {
        const row = await db.approval.findUnique({ where: { id } });
        return row ? toApproval(row) : null;
      },
      decide: async (id, d) => {
        const { count } = await db.approval.updateMany({
          where: { id, status: 'pending' },
          data: { status: d.status, decidedByStaffId: d.byStaffId, decidedAt: d.at, note: d.note },
        });
        return count === 1;
      },
      pendingFor: async (episodeId) =>
        (await db.approval.findMany({ where: { episodeId, status: 'pending' }, orderBy: { requestedAt: 'asc' } })).map(
          toApproval,
        ),
    },
    record: {
      last: async (episodeId) =>
        db.logEntry.findFirst({ where: { episodeId }, orderBy: { seq: 'desc' }, select: { seq: true, hash: true } }),
      // Raw: the record's one write is the bot's busiest statement, and the ORM's create costs
      // about as much again as the insert itself. Entry ids are random UUIDs (opaque; entries are
      // ordered by seq).
      insert: async (e) => {
        const { id, query } = entryInsert(e);
        await db.$executeRaw(query);
        return id;
      },
      findByPlatformMessage: async (episodeId, platform, platformMessageId) => {
        const row = await db.logEntry.findFirst({
          where: { episodeId, platform, platformMessageId, kind: 'message' },
          orderBy: { seq: 'asc' },
        });
        return row ? toEntry(row) : null;
      },
      // In pages: a long record read in one statement would be parsed in one go, holding up the
      // event loop (and Slack's acks) for as long; between pages requests are read and answered
      // (those that need the database wait for this transaction, as they would anyway).
      list: async (episodeId) => {
        const entries: ReturnType<typeof toEntry>[] = [];
        for (let after = 0; ;) {
          const page = await db.logEntry.findMany({
            where: { episodeId, seq: { gt: after } },
            orderBy: { seq: 'asc' },
            take: RECORD_PAGE,
          });
          entries.push(...page.map(toEntry));
          if (page.length < RECORD_PAGE) return entries;
          after = page.at(-1)!.seq;
        }
      },
      latestOf: async (episodeId, kinds) => {
        const row = await db.logEntry.findFirst({
          where: { episodeId, kind: { in: kinds } },
          orderBy: { seq: 'desc' },
        });
        return row ? toEntry(row) : null;
      },
      latestOfEach: async (episodeIds, kinds) => {
        const latest = new Map<string, ReturnType<typeof toEntry>>();
        for (const ids of slices(episodeIds)) {
          const newest = await db.logEntry.groupBy({
            by: ['episodeId'],
            where: { episodeId: { in: ids }, kind: { in: kinds } },
            _max: { seq: true },
          });
          const wanted = newest.flatMap((n) =>
            n._max.seq === null ? [] : [{ episodeId: n.episodeId, seq: n._max.seq }],
          );
          if (wanted.length === 0) continue;
          for (const row of await db.logEntry.findMany({ where: { OR: wanted } }))
            latest.set(row.episodeId, toEntry(row));
        }
        return latest;
      },
    },
    pings: {
      exists: async (key) => (await db.ping.count({ where: { key } })) > 0,
      existing: async (keys) => {
        const found = new Set<string>();
        // In slices: SQLite caps the parameters of one statement.
        for (let i = 0; i < keys.length; i += 500) {
          const rows = await db.ping.findMany({
            where: { key: { in: keys.slice(i, i + 500) } },
            select: { key: true },
          });
          for (const r of rows) found.add(r.key);
        }
        return found;
      },
      keys: async (episodeId) =>
        new Set((await db.ping.findMany({ where: { episodeId }, select: { key: true } })).map((p) => p.key)),
      pending: async (episodeId) => (await db.ping.findMany({ where: { episodeId, status: 'pending' } })).map(toPing),
      sent: async (episodeId) =>
        (await db.ping.findMany({ where: { episodeId, status: 'sent' }, orderBy: { dueAt: 'asc' } })).map(toPing),
      ofEpisodes: async (episodeIds, status) => {
        const pings: PingRecord[] = [];
        for (const ids of slices(episodeIds))
          pings.push(
            ...(await db.ping.findMany({ where: { episodeId: { in: ids }, status }, orderBy: { dueAt: 'asc' } })).map(
              toPing,
            ),
          );
        return pings.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      },
      cancelByPrefix: async (prefix, reason, at) => {
        await db.ping.updateMany({
          where: { key: { startsWith: prefix }, status: 'pending' },
          data: { status: 'cancelled', cancelledAt: at, cancelReason: reason },
        });
      },
      insert: async (p) => {
        await db.ping.create({ data: { ...p, status: 'pending' } });
      },
      cancel: async (ids, reason, at) => {
        await db.ping.updateMany({
          where: { id: { in: ids }, status: 'pending' },
          data: { status: 'cancelled', cancelledAt: at, cancelReason: reason },
        });
      },
      markSent: async (id, claimedBy, at) => {
        const { count } = await db.ping.updateMany({
          where: { id, status: 'pending', claimedBy },
          data: { status: 'sent', sentAt: at },
        });
        return count === 1;
      },
    },
    handovers: {
      exists: async (homeId, shiftAt) => (await db.handover.count({ where: { homeId, shiftAt } })) > 0,
      create: async (homeId, shiftAt, at) => {
        if (await db.handover.findUnique({ where: { homeId_shiftAt: { homeId, shiftAt } } })) return null;
        // Two instances racing collide on the unique key; the store retries the loser, which then
        // finds this row above and stands down.
        return (
          await db.handover.create({
            data: { homeId, shiftAt, status: 'pending', createdAt: at },
            select: { id: true },
          })
        ).id;
      },
      get: async (id) => {
        const row = await db.handover.findUnique({ where: { id } });
        return row ? { ...row, status: z.enum(['pending', 'accepted']).parse(row.status) } : null;
      },
      accept: async (id, staffId, at) => {
        const { count } = await db.handover.updateMany({
          where: { id, status: 'pending' },
          data: { status: 'accepted', acceptedByStaffId: staffId, acceptedAt: at },
        });
        return count === 1;
      },
    },
    outbox: {
      enqueue: async (m) => {
        const cardKey = m.message.cardKey;
        if (cardKey) {
          // A keyed card is one card: an update nobody has sent yet replaces the one waiting,
          // and an update that changes nothing is not sent at all.
          const last = await db.outboxMessage.findFirst({
            where: { episodeId: m.episodeId, cardKey },
            orderBy: { id: 'desc' },
            select: { id: true, payloadJson: true, status: true },
          });
          if (last) {
            const waiting = readJson(outboundSchema, last.payloadJson, `outbox message ${last.id}`);
            if (last.status !== 'failed' && JSON.stringify(waiting.card) === JSON.stringify(m.message.card))
              return last.id;
            if (last.status === 'pending') {
              const { count } = await db.outboxMessage.updateMany({
                where: { id: last.id, status: 'pending', claimedBy: null },
                data: { payloadJson: JSON.stringify({ ...waiting, card: m.message.card }) },
              });
              if (count === 1) return last.id;
            }
          }
        }
        const row = await db.outboxMessage.create({
          data: {
            homeId: m.homeId,
            episodeId: m.episodeId,
            platform: m.platform,
            target: m.message.target.kind,
            cardKey: m.message.cardKey ?? null,
            payloadJson: JSON.stringify(m.message),
            status: 'pending',
            nextAttemptAt: m.at,
            createdAt: m.at,
          },
          select: { id: true },
        });
        return row.id;
      },
      copies: async (episodeId, keyPrefix) => {
        const rows = await db.outboxMessage.findMany({
          where: { episodeId, cardKey: { startsWith: keyPrefix } },
          orderBy: { id: 'desc' },
          select: { id: true, cardKey: true, platform: true, payloadJson: true },
        });
        const latest = new Map<string, { platform: Platform; message: OutboundMessage }>();
        for (const row of rows) {
          if (!row.cardKey || latest.has(row.cardKey)) continue;
          latest.set(row.cardKey, {
            platform: asPlatform(row.platform),
            message: readJson(outboundSchema, row.payloadJson, `outbox message ${row.id}`),
          });
        }
        return [...latest.values()];
      },
    },
    addresses: {
      get: async (platform, kind, key) =>
        (await db.platformAddress.findUnique({ where: { platform_kind_key: { platform, kind, key } } }))?.valueJson ??
        null,
      put: async (platform, kind, key, valueJson, at) => {
        await db.platformAddress.upsert({
          where: { platform_kind_key: { platform, kind, key } },
          create: { platform, kind, key, valueJson, updatedAt: at },
          update: { valueJson, updatedAt: at },
        });
      },
    },
    events: {
      // Insert or ignore, one statement: a concurrent duplicate waits for the first to commit
      // (PostgreSQL) or for the write lock (SQLite), then inserts nothing.
      markProcessed: async (id, at) => (await db.$executeRaw(eventInsert(id, at))) === 1,
    },
    history: prismaHistory(db, toApproval),
    exports: prismaExports(db),
  };
}

/** Record entries read per statement when a whole record is read (an export, the police pack). */
const RECORD_PAGE = 1_000;

/**
 * Ids in slices for one statement's parameters: large enough that a home's open episodes are one
 * read (the number of reads must not grow with them), within both databases' limits (SQLite's
 * 32,766 bound parameters, PostgreSQL's 65,535).
 */
function slices(ids: string[], size = 10_000): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}
