import PDFDocument from 'pdfkit';
import { FONT, registerFonts, write } from './pdf-write.ts';

export type Pdf = PDFKit.PDFDocument;
export { FONT, needsOtherFonts, write } from './pdf-write.ts';

/** Document facts written into the PDF's metadata. */
export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  createdAt: Date;
}

/**
 * Draws a PDF and returns its bytes. `footer` is written on every page once the body is laid
 * out, so it can say "page 2 of 5".
 */
export function renderPdf(
  meta: PdfMeta,
  draw: (doc: Pdf) => void,
  footer?: (page: number, pages: number) => string,
): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 60, left: 50, right: 50 },
    bufferPages: true,
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Creator: 'Missing-episode bot',
      CreationDate: meta.createdAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  // Fonts with every script the record may hold (the built-in PDF fonts have Western European only).
  registerFonts(doc);
  doc.font(FONT.regular).fontSize(10);
  draw(doc);
  if (footer) {
    const range = doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      // Writing inside the bottom margin would otherwise start a new page.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.fontSize(8).fillColor('#555555');
      doc.x = 50;
      doc.y = doc.page.height - 40;
      write(doc, footer(i + 1, range.count), { width: doc.page.width - 100, align: 'center', lineBreak: false });
      doc.page.margins.bottom = bottom;
    }
  }
  doc.end();
  return done;
}

/** A section heading, kept with at least a few lines of what follows. */
export function heading(doc: Pdf, text: string, size = 12): void {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 60) doc.addPage();
  doc.moveDown(0.6).fontSize(size).fillColor('#000000');
  write(doc, [{ text, weight: 'bold' }]);
  doc.moveDown(0.2).font(FONT.regular).fontSize(10);
}

/** "Label: value" rows; empty values are shown as "not recorded". */
export function fields(doc: Pdf, rows: [string, string | null | undefined][], size = 10): void {
  for (const [label, value] of rows) {
    doc.fontSize(size).fillColor('#000000');
    write(doc, [{ text: `${label}: `, weight: 'bold' }, { text: value && value.trim() ? value : 'not recorded' }]);
  }
}

/** A list of lines, or a line saying there are none. */
export function lines(doc: Pdf, items: string[], none: string, size = 10): void {
  doc.font(FONT.regular).fontSize(size).fillColor('#000000');
  if (items.length === 0) {
    doc.fillColor('#555555');
    write(doc, none);
    doc.fillColor('#000000');
  }
  for (const item of items) write(doc, `• ${item}`);
}
