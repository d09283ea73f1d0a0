import { formatDuration } from '../messages/format.ts';
import SVGtoPDF from 'svg-to-pdfkit';
import { fields, FONT, heading, lines, needsOtherFonts, renderPdf, write } from './pdf.ts';
import { partsOfDay, weekdays, type PatternsReport } from './patterns.ts';
import { localStamp } from './time.ts';

/** The pattern signals and figures in words, for a card in chat (alias only, no personal data). */
export function patternsSummary(r: PatternsReport): string[] {
  const c = r.counts;
  const out = [
    `Episodes: ${c.days30} in the last 30 days, ${c.days90} in 90 days, ${c.days365} in 12 months (${c.total} recorded in all).`,
  ];
  if (r.duration.medianMs !== null)
    out.push(
      `Typical time away: ${formatDuration(r.duration.medianMs)} (longest ${formatDuration(r.duration.longestMs ?? 0)}).`,
    );
  if (r.rhi.returned > 0)
    out.push(
      `Return home interviews: offered after ${r.rhi.offered} of ${r.rhi.returned} returns, accepted or held after ${r.rhi.accepted}.`,
    );
  return [...out, ...r.signals];
}

/** The patterns report as a PDF: signals first, then the figures, then the charts as vector graphics. */
export function patternsPdf(
  r: PatternsReport,
  charts: { svg: string; png: Uint8Array },
  by: string,
): Promise<Uint8Array> {
  const chartsSvg = charts.svg;
  return renderPdf(
    {
      title: `Missing patterns — ${r.subject}`,
      author: by,
      subject: 'Patterns across episodes',
      createdAt: r.generatedAt,
    },
    (doc) => {
      doc.fontSize(16);
      write(doc, [{ text: `Patterns across missing episodes — ${r.subject}`, weight: 'bold' }]);
      doc.fontSize(9).fillColor('#555555');
      write(
        doc,
        `Made ${localStamp(r.generatedAt, r.timeZone)} for ${by}. Times are in ${r.timeZone}. Drills are left out. Figures cover the last 12 months; the time-of-day signals look at the last 5 episodes.`,
      );
      doc.fillColor('#000000');
      heading(doc, 'Signals');
      lines(doc, r.signals, 'No repeated weekday, time, place or person stands out.');
      heading(doc, 'How many');
      fields(doc, [
        ['Last 30 days', String(r.counts.days30)],
        ['Last 90 days', String(r.counts.days90)],
        ['Last 12 months', String(r.counts.days365)],
        ['All recorded', String(r.counts.total)],
      ]);
      if (r.byChild.length > 1)
        lines(
          doc,
          r.byChild.map((b) => `${b.alias}: ${b.count}`),
          '',
        );
      heading(doc, 'When episodes began');
      fields(doc, [
        ['By weekday', weekdays.map((d, i) => `${d.slice(0, 3)} ${r.byWeekday[i]}`).join(', ')],
        ['By time of day', partsOfDay.map((p) => `${p} ${r.byPart[p]}`).join(', ')],
        [
          'Typical time away',
          r.duration.medianMs === null
            ? null
            : `${formatDuration(r.duration.medianMs)} (median of ${r.duration.returned} returns; longest ${formatDuration(r.duration.longestMs ?? 0)})`,
        ],
      ]);
      heading(doc, 'Where found');
      lines(
        doc,
        r.whereFound.map((w) => `${w.place}: ${w.count}`),
        'No returns recorded.',
      );
      heading(doc, 'People noted as with the child');
      lines(
        doc,
        r.people.map((p) => `${p.name}: ${p.count} episode${p.count === 1 ? '' : 's'}`),
        'None noted.',
      );
      heading(doc, 'Return home interviews');
      fields(doc, [
        ['Returns', String(r.rhi.returned)],
        ['Interview offered', String(r.rhi.offered)],
        ['Accepted or held', String(r.rhi.accepted)],
        ['Declined', String(r.rhi.declined)],
      ]);
      // The charts on a page of their own, drawn from the same specification as the PNG.
      doc.addPage();
      const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
      // Scaled to the page: the root's size becomes the page's width, its viewBox keeps the drawing.
      const [w, h] = (/viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(chartsSvg) ?? []).slice(1).map(Number);
      const height = w && h ? (width * h) / w : width;
      // Vector text is in Noto Sans; a chart naming a place in another script is placed as its
      // PNG, which resvg drew with every bundled font.
      if (needsOtherFonts(chartsSvg)) {
        doc.image(Buffer.from(charts.png), doc.page.margins.left, doc.page.margins.top, { width });
        return;
      }
      const scaled = chartsSvg.replace(
        /^<svg([^>]*?) width="[\d.]+" height="[\d.]+"/,
        `<svg$1 width="${width}" height="${height}"`,
      );
      SVGtoPDF(doc, scaled, doc.page.margins.left, doc.page.margins.top, {
        width,
        height,
        assumePt: true,
        fontCallback: (_family: string, bold: boolean) => (bold ? FONT.bold : FONT.regular),
      });
    },
    (page, pages) => `Patterns — ${r.subject} — page ${page} of ${pages}`,
  );
}
