import { z } from 'zod';
import type { ApprovalRecord, Tx } from '../ports/store.ts';
import { riskLevels } from '../protocol/schema.ts';
import type { Prisma } from './generated/sqlite/client.ts';
import { looseObject, readJson, stringList } from './json.ts';
import { episodeInclude, toEpisode } from './mappers.ts';

type Client = Prisma.TransactionClient;

/** The read side the exports need: every episode of a home or child, and each episode's histories. */
export function prismaHistory(
  db: Client,
  toApproval: (row: Prisma.ApprovalGetPayload<object>) => ApprovalRecord,
): Tx['history'] {
  return {
    episodes: async (homeId, childId) =>
      (
        await db.episode.findMany({
          where: { homeId, ...(childId ? { childId } : {}) },
          include: episodeInclude,
          orderBy: { openedAt: 'asc' },
        })
      ).map((row) => ({
        ...toEpisode(row),
        returnDetails: row.returnJson ? readJson(looseObject, row.returnJson, 'return details') : null,
      })),
    risks: async (episodeId) =>
      (await db.riskChange.findMany({ where: { episodeId }, orderBy: { at: 'asc' } })).map((r) => ({
        level: z.enum(riskLevels).parse(r.level),
        factors: readJson(stringList, r.factorsJson, 'risk factors'),
        source: z.enum(['internal', 'police']).parse(r.source),
        at: r.at,
        byStaffId: r.byStaffId,
        reason: r.reason,
      })),
    notifications: async (episodeId) =>
      (await db.notification.findMany({ where: { episodeId }, orderBy: { at: 'asc' } })).map((n) => ({
        party: n.party,
        decision: z.enum(['notified', 'not_required']).parse(n.decision),
        method: n.method,
        response: n.response,
        reason: n.reason,
        at: n.at,
        byStaffId: n.byStaffId,
      })),
    contactAttempts: async (episodeId) =>
      (await db.contactAttempt.findMany({ where: { episodeId }, orderBy: { at: 'asc' } })).map((a) => ({
        method: a.method,
        outcome: a.outcome,
        at: a.at,
        byStaffId: a.byStaffId,
      })),
    approvals: async (episodeId) =>
      (await db.approval.findMany({ where: { episodeId }, orderBy: { requestedAt: 'asc' } })).map(toApproval),
  };
}

/** The export log and the files kept for one download each. */
export function prismaExports(db: Client): Tx['exports'] {
  return {
    log: async (e) => {
      const { detail, ...rest } = e;
      return (
        await db.exportLog.create({ data: { ...rest, detailJson: JSON.stringify(detail) }, select: { id: true } })
      ).id;
    },
    putFile: async (f) => {
      // Personal data should not outlive its link: expired, untaken files lose their content here.
      await db.exportFile.updateMany({
        where: { expiresAt: { lt: f.createdAt }, content: { not: null } },
        data: { content: null },
      });
      await db.exportFile.create({ data: { ...f, content: new Uint8Array(f.content), size: f.content.byteLength } });
    },
    takeFile: async (tokenHash, at) => {
      // The conditional update is the claim: of two clicks racing, exactly one gets the file.
      const { count } = await db.exportFile.updateMany({
        where: { tokenHash, takenAt: null, expiresAt: { gt: at }, content: { not: null } },
        data: { takenAt: at },
      });
      if (count !== 1) return null;
      const row = await db.exportFile.findUnique({ where: { tokenHash } });
      if (!row?.content) return null;
      await db.exportFile.update({ where: { tokenHash }, data: { content: null } });
      return { name: row.name, mimeType: row.mimeType, content: new Uint8Array(row.content) };
    },
  };
}
