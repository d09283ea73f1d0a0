import { TZDate } from '@date-fns/tz';
import { addDays, format, subYears } from 'date-fns';
import { noticeCard } from '../../messages/cards.ts';
import { returnsCsv, returnsRows, type ReturnsEpisode } from '../../reports/returns-csv.ts';
import type { CommandOf } from '../commands/commands.ts';
import { refuse, requireStaff } from '../base/context.ts';
import { mayExport, refuseExport } from './rules.ts';
import type { Prepare } from './rules.ts';

/**
 * `returns [from] [to]`: the home's missing and away-without-authorisation episodes in the shape
 * of the looked-after return's missing table, with RHI offered / accepted and where found, as CSV.
 * By default the twelve months up to today.
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
    const today = new TZDate(now, home.timeZone);
    const to = cmd.to ?? format(today, 'yyyy-MM-dd');
    const from = cmd.from ?? format(addDays(subYears(today, 1), 1), 'yyyy-MM-dd');
    if (from > to) return refuse('invalid_input', { problems: [`the start date ${from} is after the end date ${to}`] });

    const children = new Map((await tx.children.listForHome(home.id)).map((c) => [c.id, c]));
    const episodes = (await tx.history.episodes(home.id)).filter((e) => !e.isDrill);
    const input: ReturnsEpisode[] = [];
    for (const e of episodes) {
      const child = children.get(e.childId);
      input.push({
        childRef: e.childId,
        dateOfBirth: child?.personal.dateOfBirth ?? null,
        startedAt: e.lastSeenAt ?? e.openedAt,
        endedAt: e.returnedAt,
        classifications: await tx.episodes.classificationHistory(e.id),
        rhi: {
          offered: e.rhi.status !== 'none',
          accepted:
            e.rhi.status === 'accepted' || e.rhi.status === 'held'
              ? true
              : e.rhi.status === 'declined' || e.rhi.status === 'reoffered'
                ? false
                : null,
        },
        whereFound: typeof e.returnDetails?.whereFound === 'string' ? e.returnDetails.whereFound : null,
      });
    }
    return {
      home,
      staff,
      kind: 'returns',
      episodeId: null,
      childId: null,
      async draw() {
        const rows = returnsRows(input, home.timeZone, from, to);
        return {
          files: [
            {
              name: `missing-returns-${home.id}-${from}-to-${to}.csv`,
              mimeType: 'text/csv',
              bytes: new TextEncoder().encode(returnsCsv(rows)),
            },
          ],
          reply: noticeCard(
            `Returns data for ${home.name}, ${from} to ${to}: ${rows.length} row${rows.length === 1 ? '' : 's'} (missing table, with RHI and where found), for you only.`,
          ),
          detail: { from, to, rows: rows.length },
        };
      },
    };
  };
