import PDFDocument from 'pdfkit';

export type Pdf = PDFKit.PDFDocument;

// The PDF's built-in fonts only carry the Windows-1252 characters beyond ASCII and Latin-1.
const winAnsiExtras = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const replacements: Record<string, string> = { '→': '->', '←': '<-', '≥': '>=', '≤': '<=', '✓': 'v' };

/**
 * Text as the built-in fonts can draw it: accents the font lacks are dropped (ő → o), other
 * characters become "?". The JSON export always keeps the exact text.
 */
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    const code = ch.codePointAt(0)!;
    if (ch === '\n' || ch === '\t' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) out += ch;
    else if (winAnsiExtras.has(ch)) out += ch;
    else if (replacements[ch]) out += replacements[ch];
    else {
      const plain = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += plain && [...plain].every((c) => c.charCodeAt(0) < 0x7f) ? plain : '?';
    }
  }
  return out;
}

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
      Title: pdfText(meta.title),
      Author: pdfText(meta.author),
      Subject: pdfText(meta.subject),
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
  doc.font('Helvetica').fontSize(10);
  draw(doc);
  if (footer) {
    const range = doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      // Writing inside the bottom margin would otherwise start a new page.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc
        .font('Helvetica')
        .fontSize(8)
        .fillColor('#555555')
        .text(pdfText(footer(i + 1, range.count)), 50, doc.page.height - 40, {
          width: doc.page.width - 100,
          align: 'center',
          lineBreak: false,
        });
      doc.page.margins.bottom = bottom;
    }
  }
  doc.end();
  return done;
}

/** A section heading, kept with at least a few lines of what follows. */
export function heading(doc: Pdf, text: string, size = 12): void {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 60) doc.addPage();
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor('#000000').text(pdfText(text));
  doc.moveDown(0.2).font('Helvetica').fontSize(10);
}

/** "Label: value" rows; empty values are shown as "not recorded". */
export function fields(doc: Pdf, rows: [string, string | null | undefined][], size = 10): void {
  for (const [label, value] of rows) {
    doc
      .font('Helvetica-Bold')
      .fontSize(size)
      .fillColor('#000000')
      .text(`${pdfText(label)}: `, { continued: true })
      .font('Helvetica')
      .text(pdfText(value && value.trim() ? value : 'not recorded'));
  }
}

/** A list of lines, or a line saying there are none. */
export function lines(doc: Pdf, items: string[], none: string, size = 10): void {
  doc.font('Helvetica').fontSize(size).fillColor('#000000');
  if (items.length === 0) doc.fillColor('#555555').text(pdfText(none)).fillColor('#000000');
  for (const item of items) doc.text(`• ${pdfText(item)}`, { indent: 0 });
}
