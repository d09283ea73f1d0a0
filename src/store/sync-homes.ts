import type { HomesFile } from '../config/homes.ts';
import type { Database } from './database.ts';
import type { StoredHome } from './mappers.ts';

/**
 * Brings the database in line with the home-configuration file, at start. Homes, staff and
 * children are upserted; people and children no longer listed are marked inactive, never
 * deleted, because the record refers to them.
 */
export async function syncHomes(database: Database, file: HomesFile): Promise<void> {
  // Counted before and after: who a platform user is may be changing meanwhile (staff-directory.ts).
  database.homeSyncs += 1;
  try {
    await syncInTransaction(database, file);
  } finally {
    database.homeSyncs += 1;
  }
}

async function syncInTransaction(database: Database, file: HomesFile): Promise<void> {
  await database.prisma.$transaction(
    async (db) => {
      for (const [position, home] of file.homes.entries()) {
        const stored: StoredHome = {
          kind: home.kind,
          position,
          policy: home.policy,
          shiftChanges: home.shiftChanges,
          onCall: home.onCall,
          rota: home.rota,
          staffOrder: home.staff.map((s) => s.id),
        };
        const homeData = { name: home.name, timeZone: home.timeZone, configJson: JSON.stringify(stored) };
        await db.home.upsert({ where: { id: home.id }, create: { id: home.id, ...homeData }, update: homeData });
        await db.homeChannel.deleteMany({ where: { homeId: home.id } });
        for (const [platform, channelRef] of Object.entries(home.channels)) {
          if (channelRef) await db.homeChannel.create({ data: { homeId: home.id, platform, channelRef } });
        }
        const listedStaff = new Set(home.staff.map((s) => s.id));
        const gone = (await db.staff.findMany({ where: { homeId: home.id, active: true }, select: { id: true } }))
          .map((s) => s.id)
          .filter((id) => !listedStaff.has(id));
        for (const ids of chunks(gone))
          await db.staff.updateMany({ where: { id: { in: ids } }, data: { active: false } });
        for (const s of home.staff) {
          const data = { homeId: home.id, displayName: s.name, role: s.role, active: true };
          await db.staff.upsert({ where: { id: s.id }, create: { id: s.id, ...data }, update: data });
          await db.staffIdentity.deleteMany({ where: { staffId: s.id } });
          for (const platform of ['slack', 'teams', 'web'] as const) {
            const platformUserId = s[platform];
            if (platformUserId) await db.staffIdentity.create({ data: { staffId: s.id, platform, platformUserId } });
          }
        }
        // Those no longer listed, worked out here: a "not in" list of every child listed would
        // pass one query parameter per child, more than a database takes for a large service.
        const listed = new Set(home.children.map((c) => c.id));
        const delisted = (await db.child.findMany({ where: { homeId: home.id, active: true }, select: { id: true } }))
          .map((c) => c.id)
          .filter((id) => !listed.has(id));
        for (const ids of chunks(delisted))
          await db.child.updateMany({ where: { id: { in: ids } }, data: { active: false } });
        for (const c of home.children) {
          const personal = {
            ...(c.name ? { name: c.name } : {}),
            ...(c.dateOfBirth ? { dateOfBirth: c.dateOfBirth } : {}),
            ...(c.authorityChildId ? { authorityChildId: c.authorityChildId } : {}),
          };
          const data = {
            homeId: home.id,
            alias: c.alias,
            planJson: JSON.stringify({ plan: c.plan, personal, placement: c.placement ?? null }),
            active: true,
          };
          await db.child.upsert({ where: { id: c.id }, create: { id: c.id, ...data }, update: data });
          // The plan's review date counts only if it is newer than a review recorded since.
          const reviewed = c.plan.riskAssessmentReviewedOn
            ? new Date(`${c.plan.riskAssessmentReviewedOn}T00:00:00Z`)
            : null;
          if (reviewed)
            await db.child.updateMany({
              where: { id: c.id, OR: [{ riskReviewedAt: null }, { riskReviewedAt: { lt: reviewed } }] },
              data: { riskReviewedAt: reviewed },
            });
        }
      }
    },
    // A large service's thousands of children take a while on a shared machine.
    { timeout: 300_000 },
  );
}

/** Ids in groups small enough for one query's parameters on either database. */
function chunks(ids: string[], size = 500): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}
