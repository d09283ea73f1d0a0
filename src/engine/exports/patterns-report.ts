import type { Card } from '../../messages/outbound.ts';
import { patternsSpec } from '../../reports/charts/patterns-spec.ts';
import { chartSvg, svgPng } from '../../reports/charts/render.ts';
import { patternsPdf, patternsSummary } from '../../reports/patterns-pdf.ts';
import { computePatterns } from '../../reports/patterns.ts';
import type { CommandOf } from '../commands/commands.ts';
import { refuse, requireStaff } from '../base/context.ts';
import { childOf, fileSafe, mayExport, refuseExport } from './rules.ts';
import type { Prepare } from './rules.ts';

/**
 * `patterns [child]`: counts, when episodes begin, how long they last, where children are found,
 * who they are with, RHI take-up and the signals in words — for one child or the whole home —
 * with the charts (one Vega-Lite specification) as a PNG and in the PDF.
 */
export const preparePatterns =
  (cmd: CommandOf<'patterns'>): Prepare =>
  async (tx, deps) => {
    const now = deps.clock.now();
    const staff = await requireStaff(tx, cmd.actor);
    const home = await tx.homes.get(staff.homeId);
    if (!home) return refuse('unknown_home');
    const child = cmd.child ? await childOf(tx, staff, cmd.child) : null;
    if (!mayExport(home, staff))
      return refuseExport(tx, deps, { home, staff, kind: 'patterns', episodeId: null, childId: child?.id ?? null });
    const aliases = new Map((await tx.children.listForHome(home.id)).map((c) => [c.id, c.alias]));
    const episodes = (await tx.history.episodes(home.id, child?.id)).filter((e) => !e.isDrill);
    return {
      home,
      staff,
      kind: 'patterns',
      episodeId: null,
      childId: child?.id ?? null,
      async draw() {
        const report = computePatterns(
          episodes.map((e) => ({
            alias: aliases.get(e.childId) ?? e.alias,
            startedAt: e.lastSeenAt ?? e.openedAt,
            endedAt: e.returnedAt,
            whereFound: typeof e.returnDetails?.whereFound === 'string' ? e.returnDetails.whereFound : null,
            withWhom: e.withWhom,
            rhi: e.rhi.status,
          })),
          { subject: child?.alias ?? home.name, timeZone: home.timeZone, now, perChild: child !== null },
        );
        const svg = await chartSvg(patternsSpec(report));
        const name = `patterns-${fileSafe(child?.alias ?? home.id)}-${now.toISOString().slice(0, 10)}`;
        const summary = patternsSummary(report);
        const reply: Card = {
          title: `Patterns — ${report.subject}`,
          tone: report.signals.length > 0 ? 'warning' : 'info',
          blocks: summary.map((text) => ({ type: 'text' as const, text })),
          fallback: summary.join(' '),
        };
        return {
          files: [
            {
              name: `${name}.pdf`,
              mimeType: 'application/pdf',
              bytes: await patternsPdf(report, svg, staff.displayName),
            },
            { name: `${name}-charts.png`, mimeType: 'image/png', bytes: svgPng(svg) },
          ],
          reply,
          detail: { episodes: episodes.length },
        };
      },
    };
  };
