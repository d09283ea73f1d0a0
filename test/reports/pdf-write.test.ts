import { describe, expect, it } from 'vitest';
import { renderPdf, write, type Pdf } from '../../src/reports/pdf.ts';
import { pdfPages } from '../support/pdf-text.ts';

const pdfOf = async (draw: (doc: Pdf) => void) =>
  pdfPages(await renderPdf({ title: 't', author: 'a', subject: 's', createdAt: new Date(0) }, draw));

describe('writing right-to-left text into a PDF', () => {
  it('keeps blank lines, and lines that end the text, without failing', async () => {
    const [page] = await pdfOf((doc) => write(doc, 'سطر\n\nنهاية\n'));
    expect(page).toContain('سطر');
    expect(page).toContain('نهاية');
  });

  it('runs a long note onto the next pages, losing nothing', async () => {
    const note = Array.from({ length: 400 }, (_, i) => `جملة رقم ${i} هنا.`).join(' ');
    const pages = await pdfOf((doc) => write(doc, note));
    expect(pages.length).toBeGreaterThan(1);
    const all = pages.join(' ');
    for (const n of [0, 199, 399]) expect(all).toContain(`${n} رقم جملة`);
  });

  it('cuts a word too wide for a line (a long link) instead of running it off the page', async () => {
    const link = `https://example.org/${'a'.repeat(150)}`;
    const [page] = await pdfOf((doc) => write(doc, `رابط ${link} نهاية`));
    // All of it is on the page, over two lines: none cut off at the margin.
    expect(page).toContain('https://example.org/');
    expect(page!.match(/a/g)).toHaveLength(150 + 'example.org'.split('a').length - 1);
  });

  it('prints Hebrew in its own font, right to left, brackets turned the right way', async () => {
    const [page] = await pdfOf((doc) => write(doc, 'שלום עולם (בדיקה)'));
    // Pdf.js gives each drawn piece in the order it stands on the page: right to left.
    expect(page).toContain(')בדיקה( עולם שלום');
  });
});
