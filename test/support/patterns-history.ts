import type { PatternEpisode } from '../../src/reports/patterns.ts';
import type { Database } from '../../src/store/database.ts';

export const hours = (n: number) => n * 3_600_000;
/** An episode that began at `start` (UTC) and ended `away` hours later. */
export const ep = (start: string, away: number | null, more: Partial<PatternEpisode> = {}): PatternEpisode => ({
  alias: 'AJ',
  startedAt: new Date(start),
  endedAt: away === null ? null : new Date(Date.parse(start) + hours(away)),
  whereFound: null,
  withWhom: null,
  rhi: 'none',
  ...more,
});

/** Hand-counted history of AJ (London time: BST until 25 October 2026, GMT after). */
export const ajHistory: PatternEpisode[] = [
  ep('2025-06-02T10:00:00Z', 2, { whereFound: 'School', rhi: 'held' }), // over a year ago: counted in "all" only
  ep('2026-09-04T19:00:00Z', 10, { whereFound: 'Riverside park', rhi: 'offered' }), // Fri 20:00 BST
  ep('2026-10-16T18:45:00Z', 6, { whereFound: 'Town centre bus station', withWhom: 'T', rhi: 'accepted' }), // Fri 19:45 BST
  ep('2026-10-27T09:00:00Z', 4, { whereFound: 'school' }), // Tue 09:00 GMT, no RHI offered
  ep('2026-11-06T20:15:00Z', 3, { whereFound: 'Town centre bus station.', withWhom: 'T and Kay', rhi: 'declined' }),
  ep('2026-11-13T19:30:00Z', 6, { whereFound: 'town centre bus station', withWhom: 't, Kay', rhi: 'held' }),
];

/** Writes AJ's past episodes straight into the database, as years of use would have left them (closed). */
export async function seedHistory(database: Database, rows: (PatternEpisode & { drill?: boolean })[] = ajHistory) {
  for (const e of rows)
    await database.prisma.episode.create({
      data: {
        homeId: 'oak-house',
        childId: 'child-aj',
        status: 'closed',
        classification: 'missing',
        riskLevel: 'medium',
        isDrill: e.drill === true,
        openedAt: e.startedAt,
        openedByStaffId: 'jo',
        platform: 'web',
        lastSeenAt: e.startedAt,
        withWhom: e.withWhom,
        returnedAt: e.endedAt,
        returnJson: JSON.stringify({ whereFound: e.whereFound, how: 'Came back', condition: 'Well', indicators: [] }),
        rhiStatus: e.rhi,
        closedAt: e.endedAt,
      },
    });
}
