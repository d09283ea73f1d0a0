import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { parse } from 'date-fns/parse';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from '../fonts.ts';
import { durationBands, weekdays, type PatternsReport } from '../patterns.ts';

const INK = '#1f2937';
const BAR = '#1e3a8a';
const days = weekdays.map((d) => d.slice(0, 3));
const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
/** The most places the "where found" chart lists; the rest are in the PDF's list. */
const MOST_PLACES = 8;

/** The period the charts cover, in words: "the 12 months to Fri 20 Nov 2026 (Europe/London)". */
function chartPeriod(r: PatternsReport): string {
  return `The 12 months to ${format(new TZDate(r.generatedAt, r.timeZone), 'EEE d MMM yyyy')} · times in ${r.timeZone} · drills left out`;
}

/**
 * The patterns figures as one Vega-Lite specification: when episodes began (weekday × hour, with
 * a legend for the shading), episodes per month, time away and where children were found. The
 * same specification is drawn into the PNG, into the PDF (as vector graphics) and live on the
 * playground's patterns view.
 */
export function patternsSpec(r: PatternsReport): TopLevelSpec {
  const cells = r.grid.flatMap((row, d) => row.map((count, h) => ({ weekday: days[d]!, hour: hours[h]!, count })));
  const busiest = Math.max(1, ...r.grid.flat());
  const months = r.byMonth.map((m) => ({
    ...m,
    label: format(parse(m.month, 'yyyy-MM', new Date(2000, 0, 1)), 'MMM yy'),
  }));
  const places = r.whereFound.slice(0, MOST_PLACES);
  const subtitle = chartPeriod(r);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Missing episodes — ${r.subject}`,
      subtitle,
      anchor: 'start',
      fontSize: 18,
      subtitleFontSize: 12,
      subtitleColor: '#4b5563',
      offset: 14,
    },
    background: 'white',
    padding: 16,
    config: {
      // Drawn in the bundled font by resvg and in the PDF; a browser without it uses its own sans-serif.
      font: `${CHART_FONT}, sans-serif`,
      view: { stroke: null },
      axis: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
      legend: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
      header: { labelColor: INK },
      title: { color: INK },
    },
    spacing: 28,
    vconcat: [
      {
        title: { text: 'When episodes began (weekday × hour)', anchor: 'start', fontSize: 14 },
        data: { values: cells },
        width: 24 * 22,
        height: 7 * 22,
        encoding: {
          x: { field: 'hour', type: 'ordinal', sort: hours, title: 'Hour of the day', axis: { labelAngle: 0 } },
          y: { field: 'weekday', type: 'ordinal', sort: days, title: null },
        },
        layer: [
          {
            mark: { type: 'rect', stroke: '#e5e7eb', strokeWidth: 1 },
            encoding: {
              color: {
                field: 'count',
                type: 'quantitative',
                title: 'Episodes begun',
                scale: { domain: [0, busiest], range: ['#ffffff', BAR] },
                legend: { orient: 'right', tickCount: Math.min(busiest, 5), format: 'd', gradientLength: 120 },
              },
            },
          },
          {
            mark: { type: 'text', fontSize: 11 },
            transform: [{ filter: 'datum.count > 0' }],
            encoding: {
              text: { field: 'count', type: 'quantitative' },
              color: { condition: { test: `datum.count > ${busiest / 2}`, value: 'white' }, value: INK },
            },
          },
        ],
      },
      {
        hconcat: [
          {
            title: { text: 'Episodes per month', anchor: 'start', fontSize: 14 },
            data: { values: months },
            width: 300,
            height: 160,
            mark: { type: 'bar', color: BAR },
            encoding: {
              x: {
                field: 'label',
                type: 'ordinal',
                sort: months.map((m) => m.label),
                title: 'Month begun',
                axis: { labelAngle: -45 },
              },
              y: { field: 'count', type: 'quantitative', title: 'Episodes', axis: { tickMinStep: 1, format: 'd' } },
            },
          },
          {
            title: { text: 'Time away (returns)', anchor: 'start', fontSize: 14 },
            data: { values: r.byDuration },
            width: 200,
            height: 160,
            mark: { type: 'bar', color: BAR },
            encoding: {
              x: {
                field: 'band',
                type: 'ordinal',
                sort: [...durationBands],
                title: 'Away for',
                axis: { labelAngle: -30 },
              },
              y: { field: 'count', type: 'quantitative', title: 'Returns', axis: { tickMinStep: 1, format: 'd' } },
            },
          },
        ],
      },
      {
        title: {
          text: places.length ? 'Where found' : 'Where found — no returns with a place recorded',
          anchor: 'start',
          fontSize: 14,
        },
        data: { values: places },
        width: 420,
        height: { step: 22 },
        mark: { type: 'bar', color: BAR },
        encoding: {
          y: { field: 'place', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 260 } },
          x: { field: 'count', type: 'quantitative', title: 'Returns', axis: { tickMinStep: 1, format: 'd' } },
        },
      },
    ],
  };
}
