import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { subYears } from 'date-fns/subYears';
import { localDate } from '../../reports/time.ts';
import { noticeCard } from '../../messages/cards.ts';
import type { PastEpisode } from '../../ports/exports.ts';
import type { ChildRecord, Tx } from '../../ports/store.ts';
import {
  annexACsv,
  annexARows,
  collectionYear,
  collectionYearOf,
  missingTable,
  missingTableCsv,
  overlaps,
  returnsGaps,
  type ReturnsEpisode,
} from '../../reports/returns-csv.ts';
import type { CommandOf } from '../commands/commands.ts';
import { refuse, requireStaff } from '../base/context.ts';
import { mayExport, refuseExport } from './rules.ts';
import type { Drawn, ReturnsJob } from './draw-job.ts';
import type { Prepare } from './rules.ts';

/** An episode as the returns read it: the authority's child id, dates, the RHI and where found. */
async function asReturns(tx: Tx, e: PastEpisode, child: ChildRecord | undefined): Promise<ReturnsEpisode> {
  const status = e.rhi.status;
  return {
    alias: child?.alias ?? e.alias,
    childRef: child?.personal.authorityChildId ?? null,
    dateOfBirth: child?.personal.dateOfBirth ?? null,
    startedAt: e.lastSeenAt ?? e.openedAt,
    endedAt: e.returnedAt,
    classifications: await tx.episodes.classificationHistory(e.id),
    rhi: {
      offered: status !== 'none',
      accepted:
        status === 'accepted' || status === 'held'
          ? true
          : status === 'declined' || status === 'reoffered'
            ? false
            : null,
      reoffered: status === 'reoffered',
      offeredAt: e.rhi.offeredAt,
      heldAt: e.rhi.heldAt,
    },
    whereFound: typeof e.returnDetails?.whereFound === 'string' ? e.returnDetails.whereFound : null,
  };
}

/**
 * `returns [2026-27]`: for a collection year (the current one by default), the SSDA903 Missing
 * table exactly as the Department for Education collects it, and — never mixed into it — the
 * Annex A figures per child for the twelve months up to today (or the year's end, for a past
 * year), with the bot's extras: the last episode's dates, the interview's dates, a 72-hour breach,
 * where found. Refused, naming the children, while one of them lacks the authority's child id or a
 * date of birth.
 */
export const prepareReturns =
  (cmd: CommandOf<'returns_csv'>): Prepare =>
  async (tx, deps) => {
    const now = deps.clock.now();
    const staff = await requireStaff(tx, cmd.actor);
    const home = await tx.homes.get(staff.homeId);
    if (!home) return refuse('unknown_home');
    if (!mayExport(home, staff))
      return refuseExport(tx, deps, { home, staff, kind: 'returns', episodeId: null, childId: null });
    const tz = home.timeZone;
    const today = localDate(now, tz);
    const year = cmd.year === undefined ? collectionYearOf(today) : collectionYear(cmd.year);
    // Annex A looks back twelve months from today, or from the end of a year already over.
    const asOf = today > year.to ? new TZDate(year.startYear + 1, 2, 31, 23, 59, 59, tz) : now;
    const asOfDate = localDate(asOf, tz);
    const annexFrom = localDate(subYears(asOf, 1), tz);

    const children = new Map((await tx.children.listForHome(home.id)).map((c) => [c.id, c]));
    const episodes: ReturnsEpisode[] = [];
    for (const e of await tx.history.episodes(home.id)) {
      if (!e.isDrill) episodes.push(await asReturns(tx, e, children.get(e.childId)));
    }
    const inYear = episodes.filter((e) => overlaps(e, tz, year.from, year.to));
    const inAnnex = episodes.filter((e) => overlaps(e, tz, annexFrom, asOfDate));
    const gaps = returnsGaps([...inYear, ...inAnnex]);
    if (gaps) return refuse('returns_incomplete', { ...gaps });
    return {
      home,
      staff,
      kind: 'returns',
      episodeId: null,
      childId: null,
      job: { kind: 'returns', home, year, inYear, inAnnex, asOf, asOfDate },
    };
  };

/** The SSDA903 Missing table and the Annex A figures, as CSV (off the main thread: see draw.ts). */
export async function drawReturns({ home, year, inYear, inAnnex, asOf, asOfDate }: ReturnsJob): Promise<Drawn> {
  const tz = home.timeZone;
  const rows = missingTable(inYear, tz, year);
  const annex = annexARows(inAnnex, tz, asOf);
  const encode = (text: string) => new TextEncoder().encode(text);
  return {
    files: [
      {
        name: `ssda903-missing-${home.id}-${year.label}.csv`,
        mimeType: 'text/csv',
        bytes: encode(missingTableCsv(rows)),
      },
      { name: `annex-a-missing-${home.id}-${asOfDate}.csv`, mimeType: 'text/csv', bytes: encode(annexACsv(annex)) },
    ],
    reply: noticeCard(
      `Returns for ${home.name}, collection year ${year.label} (1 April ${year.startYear} to 31 March ${year.startYear + 1}): the SSDA903 Missing table, ${rows.length} row${rows.length === 1 ? '' : 's'}; and the Annex A figures for the 12 months to ${format(new TZDate(asOf, tz), 'd MMMM yyyy')}, ${annex.length} child${annex.length === 1 ? '' : 'ren'}. For you only.`,
    ),
    detail: { year: year.label, rows: rows.length, annexChildren: annex.length },
  };
}
