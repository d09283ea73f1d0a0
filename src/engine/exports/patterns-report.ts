import type { TopLevelSpec } from 'vega-lite';
import type { Platform } from '../../domain/episode.ts';
import { label } from '../../messages/format.ts';
import type { Card } from '../../messages/outbound.ts';
import type { EngineError } from '../../messages/texts.ts';
import type { ChildRecord, HomeRecord, Tx } from '../../ports/store.ts';
import { patternsSpec } from '../../reports/charts/patterns-spec.ts';
import { computePatterns, type PatternsReport } from '../../reports/patterns.ts';
import type { CommandOf } from '../commands/commands.ts';
import { Refusal, refuse, requireStaff, type EngineDeps } from '../base/context.ts';
import { childOf, fileSafe, mayExport, refuseExport } from './rules.ts';
import type { Drawn, History, PatternsJob } from './draw-job.ts';
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
    const history = await historyOf(tx, home, child);
    return {
      home,
      staff,
      kind: 'patterns',
      episodeId: null,
      childId: child?.id ?? null,
      job: { kind: 'patterns', history, home, child, now, by: staff.displayName },
    };
  };

/** The patterns report's PDF and its charts as a PNG (off the main thread: see draw.ts). */
export async function drawPatterns({ history, home, child, now, by }: PatternsJob): Promise<Drawn> {
  // Loaded where drawing happens (the worker): Vega, resvg and the PDF library stay off the main thread.
  const [{ chartSvg, svgPng }, { patternsPdf, patternsSummary }] = await Promise.all([
    import('../../reports/charts/render.ts'),
    import('../../reports/patterns-pdf.ts'),
  ]);
  const report = patternsOf(history, home, child, now);
  const svg = await chartSvg(patternsSpec(report));
  const png = await svgPng(svg);
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
      { name: `${name}.pdf`, mimeType: 'application/pdf', bytes: await patternsPdf(report, { svg, png }, by) },
      { name: `${name}-charts.png`, mimeType: 'image/png', bytes: png },
    ],
    reply,
    detail: { episodes: history.episodes.length },
  };
}

/** What the patterns are made from: a home's (or one child's) real episodes, and the children's aliases. */
async function historyOf(tx: Tx, home: HomeRecord, child: ChildRecord | null): Promise<History> {
  const children = await tx.children.listForHome(home.id);
  const aliases = new Map(children.map((c) => [c.id, c.alias]));
  const episodes = (await tx.history.episodes(home.id, child?.id)).filter((e) => !e.isDrill);
  return { children, aliases, episodes };
}

function patternsOf(
  { aliases, episodes }: History,
  home: HomeRecord,
  child: ChildRecord | null,
  now: Date,
): PatternsReport {
  return computePatterns(
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
}

/**
 * The patterns charts' specification for the playground's patterns view: for those who may export
 * the patterns report (the same figures, looked at on screen; nothing leaves the bot, so nothing is
 * logged as an export).
 */
export async function patternsChart(
  tx: Tx,
  deps: EngineDeps,
  platform: Platform,
  userId: string,
  alias: string | undefined,
): Promise<{ ok: true; spec: TopLevelSpec; children: string[] } | { ok: false; error: EngineError }> {
  try {
    const staff = await requireStaff(tx, { platform, userId });
    const home = await tx.homes.get(staff.homeId);
    if (!home) return refuse('unknown_home');
    if (!mayExport(home, staff))
      return refuse('patterns_not_allowed', { roles: home.policy.exportRoles.map((r) => label(r).toLowerCase()) });
    const child = alias ? await childOf(tx, staff, alias) : null;
    const history = await historyOf(tx, home, child);
    const report = patternsOf(history, home, child, deps.clock.now());
    const children = history.children.filter((c) => c.active).map((c) => c.alias);
    return { ok: true, spec: patternsSpec(report), children };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.error };
    throw error;
  }
}
