import type { HomesFile } from '../config/homes.ts';
import type { Database } from './database.ts';
import type { StoredHome } from './mappers.ts';

/**
 * Brings the database in line with the home-configuration file, at start. Homes, staff and
 * children are upserted; people and children no longer listed are marked inactive, never
 * deleted, because the record refers to them.
 */
export async function syncHomes(database: Database, file: HomesFile): Promise<void> {
  await database.prisma.$transaction(
    async (db) => {
      for (const home of file.homes) {
        const stored: StoredHome = {
          policy: home.policy,
          shiftChanges: home.shiftChanges,
          onCall: home.onCall,
          staffOrder: home.staff.map((s) => s.id),
        };
        const homeData = { name: home.name, timeZone: home.timeZone, configJson: JSON.stringify(stored) };
        await db.home.upsert({ where: { id: home.id }, create: { id: home.id, ...homeData }, update: homeData });
        await db.homeChannel.deleteMany({ where: { homeId: home.id } });
        for (const [platform, channelRef] of Object.entries(home.channels)) {
          if (channelRef) await db.homeChannel.create({ data: { homeId: home.id, platform, channelRef } });
        }
        const staffIds = home.staff.map((s) => s.id);
        await db.staff.updateMany({ where: { homeId: home.id, id: { notIn: staffIds } }, data: { active: false } });
        for (const s of home.staff) {
          const data = { homeId: home.id, displayName: s.name, role: s.role, active: true };
          await db.staff.upsert({ where: { id: s.id }, create: { id: s.id, ...data }, update: data });
          await db.staffIdentity.deleteMany({ where: { staffId: s.id } });
          for (const platform of ['slack', 'teams', 'web'] as const) {
            const platformUserId = s[platform];
            if (platformUserId) await db.staffIdentity.create({ data: { staffId: s.id, platform, platformUserId } });
          }
        }
        const childIds = home.children.map((c) => c.id);
        await db.child.updateMany({ where: { homeId: home.id, id: { notIn: childIds } }, data: { active: false } });
        for (const c of home.children) {
          const personal = {
            ...(c.name ? { name: c.name } : {}),
            ...(c.dateOfBirth ? { dateOfBirth: c.dateOfBirth } : {}),
          };
          const data = {
            homeId: home.id,
            alias: c.alias,
            planJson: JSON.stringify({ plan: c.plan, personal }),
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
    { timeout: 60_000 },
  );
}
