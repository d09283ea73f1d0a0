import bidiJs, { type Bidi } from 'bidi-js';
import { fontFiles } from './fonts.ts';

type Pdf = PDFKit.PDFDocument;

export type Weight = 'regular' | 'bold' | 'italic';
type Script = keyof typeof fontFiles;

/** A piece of text in one weight: a label in bold, its value in regular. */
export interface Part {
  text: string;
  weight?: Weight;
}

/** The names fonts are registered under in every document. */
const names: Record<Script, Record<Weight, string>> = {
  latin: { regular: 'Noto Sans', bold: 'Noto Sans Bold', italic: 'Noto Sans Italic' },
  arabic: { regular: 'Amiri', bold: 'Amiri Bold', italic: 'Amiri' },
  ethiopic: { regular: 'Noto Sans Ethiopic', bold: 'Noto Sans Ethiopic Bold', italic: 'Noto Sans Ethiopic' },
  hebrew: { regular: 'Noto Sans Hebrew', bold: 'Noto Sans Hebrew Bold', italic: 'Noto Sans Hebrew' },
};
/** The family and weight each name stands for, for fonts asked for by name (charts). */
export const FONT = names.latin;

/** Registers the bundled fonts with a document, under the names above. */
export function registerFonts(doc: Pdf): void {
  for (const script of Object.keys(names) as Script[]) {
    doc.registerFont(names[script].regular, fontFiles[script].regular);
    doc.registerFont(names[script].bold, fontFiles[script].bold);
  }
  doc.registerFont(names.latin.italic, fontFiles.latin.italic);
}

// bidi-js is CommonJS whose types describe an ES default export: at run time the module is the factory.
const bidi = (bidiJs as unknown as () => Bidi)();

/**
 * OpenType features for a font: Noto Sans's glyph composition (ccmp) is left off. With it, a
 * letter such as "ị" is drawn as a base glyph shared with other letters plus a mark, and the PDF's
 * text layer (what search, copy and screen readers get) then names the wrong letter; without it
 * each letter is its own glyph and the text reads back exactly. The Arabic and Ethiopic fonts keep
 * their defaults (Arabic letters must join). A fresh object each time: fontkit adds to the one it
 * is given. Plain ASCII has nothing to compose, so it is given no features: pdfkit caches the
 * layout of each word only then, and shaping every word afresh made a 10,000-entry record take
 * over ten seconds to draw.
 */
const featuresOf = (font: string, text: string) =>
  Object.values(names.latin).includes(font) && NOT_ASCII.test(text)
    ? ({ ccmp: false } as unknown as PDFKit.Mixins.OpenTypeFeatures[])
    : undefined;
// eslint-disable-next-line no-control-regex -- the ASCII range, control characters included
const NOT_ASCII = /[^\u0000-\u007f]/u;
const RTL_CHAR = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;
/** Right-to-left letters, which the font's shaping puts in order itself (fontkit reverses their runs). */
const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}]/u;

/** The script a character needs a font for; spaces, digits and punctuation need none of their own. */
function scriptOf(ch: string): Script | null {
  const code = ch.codePointAt(0)!;
  if ((code >= 0x0600 && code <= 0x08ff) || (code >= 0xfb50 && code <= 0xfdff) || (code >= 0xfe70 && code <= 0xfeff))
    return 'arabic';
  if ((code >= 0x1200 && code <= 0x139f) || (code >= 0x2d80 && code <= 0x2ddf) || (code >= 0xab00 && code <= 0xab2f))
    return 'ethiopic';
  if ((code >= 0x0590 && code <= 0x05ff) || (code >= 0xfb1d && code <= 0xfb4f)) return 'hebrew';
  return /[\p{L}\p{M}]/u.test(ch) ? 'latin' : null;
}

/** Whether text has letters Noto Sans lacks (Arabic, Hebrew, Ethiopic), which need a font of their own. */
export const needsOtherFonts = (text: string): boolean => [...text].some((ch) => (scriptOf(ch) ?? 'latin') !== 'latin');

/** A stretch of text drawn in one font. */
interface Run {
  text: string;
  font: string;
}

/**
 * Splits parts into runs of one font each. A space or a full stop goes with the letters before it,
 * so a run of Arabic words stays one run and is shaped as one.
 */
function fontRuns(parts: Part[]): Run[] {
  const runs: Run[] = [];
  for (const part of parts) {
    const weight = part.weight ?? 'regular';
    let script: Script | null = null;
    let text = '';
    const flush = () => {
      if (text) runs.push({ text, font: names[script ?? 'latin'][weight] });
      text = '';
    };
    for (const ch of part.text) {
      const own = scriptOf(ch);
      if (own && script && own !== script) flush();
      if (own) script = own;
      text += ch;
    }
    flush();
  }
  return runs;
}

/** The options of pdfkit's `text` these helpers pass on. */
export interface WriteOptions {
  width?: number;
  indent?: number;
  align?: 'left' | 'center' | 'right';
  lineBreak?: boolean;
  continued?: boolean;
}

/**
 * Writes text in whatever scripts it holds, each in a font that has it (a name in Arabic and a
 * note in Tigrinya in the same entry), at the document's cursor. Text with right-to-left letters
 * is laid out here, a line at a time in the Unicode bidirectional order; the rest is left to
 * pdfkit's own line wrapping.
 */
export function write(doc: Pdf, content: string | Part[], opts: WriteOptions = {}): void {
  const parts = (typeof content === 'string' ? [{ text: content }] : content).map((p) => ({
    ...p,
    text: p.text.replace(/\r\n?/g, '\n'),
  }));
  if (parts.some((p) => RTL_CHAR.test(p.text))) return writeBidi(doc, parts, opts);
  const runs = fontRuns(parts);
  if (runs.length === 0) runs.push({ text: '', font: names.latin[parts[0]?.weight ?? 'regular'] });
  runs.forEach((run, i) =>
    doc.font(run.font).text(run.text, {
      ...opts,
      features: featuresOf(run.font, run.text),
      continued: i < runs.length - 1 ? true : (opts.continued ?? false),
    }),
  );
}

/** A logical piece of a line: its text, font, and bidi level (odd = right to left). */
interface Piece {
  text: string;
  font: string;
  level: number;
}

function writeBidi(doc: Pdf, parts: Part[], opts: WriteOptions): void {
  const margin = doc.page.margins.left;
  const width = opts.width ?? doc.page.width - doc.page.margins.left - doc.page.margins.right;
  // One paragraph per line break, each with its own base direction.
  const paragraphs: Part[][] = [[]];
  for (const part of parts)
    part.text.split('\n').forEach((line, i) => {
      if (i > 0) paragraphs.push([]);
      if (line) paragraphs.at(-1)!.push({ ...part, text: line });
    });
  for (const paragraph of paragraphs) {
    const text = paragraph.map((p) => p.text).join('');
    if (!text) {
      drawLine(doc, [], { left: margin, width, rtl: false, align: opts.align });
      continue;
    }
    const { levels, paragraphs: found } = bidi.getEmbeddingLevels(text);
    const rtl = (found[0]?.level ?? 0) % 2 === 1;
    // The paragraph's characters as logical pieces of one font and level each.
    const pieces: Piece[] = [];
    let at = 0;
    for (const run of fontRuns(paragraph)) {
      for (const ch of run.text) {
        const level = levels[at]!;
        const last = pieces.at(-1);
        if (last && last.font === run.font && last.level === level) last.text += ch;
        else pieces.push({ text: ch, font: run.font, level });
        at += ch.length;
      }
    }
    // As pdfkit does, the indent is the first line's.
    const indent = opts.indent ?? 0;
    breakLines(doc, pieces, width - indent, width).forEach((line, i) =>
      drawLine(doc, line, {
        left: margin + (i === 0 ? indent : 0),
        width: width - (i === 0 ? indent : 0),
        rtl,
        align: opts.align,
      }),
    );
  }
  doc.x = margin;
}

const widthOf = (doc: Pdf, p: Piece) =>
  doc.font(p.font).widthOfString(p.text, { features: featuresOf(p.font, p.text) });

/**
 * Breaks logical pieces into lines that fit (the first line `first` wide, the rest `width`), at
 * spaces where it can, and inside a word only when the word alone is too wide for a line.
 */
function breakLines(doc: Pdf, pieces: Piece[], first: number, width: number): Piece[][] {
  // Words (with the space after them) as lists of pieces.
  const words: Piece[][] = [[]];
  for (const p of pieces)
    for (const chunk of p.text.split(/(?<= )/)) {
      words.at(-1)!.push({ ...p, text: chunk });
      if (chunk.endsWith(' ')) words.push([]);
    }
  const lines: Piece[][] = [[]];
  let used = 0;
  const room = () => (lines.length === 1 ? first : width);
  const newLine = () => {
    lines.push([]);
    used = 0;
  };
  for (const word of words.filter((w) => w.length)) {
    const w = word.reduce((sum, p) => sum + widthOf(doc, p), 0);
    if (used > 0 && used + w > room()) newLine();
    if (w <= room()) {
      lines.at(-1)!.push(...word);
      used += w;
      continue;
    }
    // A word wider than a line (a long link, a name without spaces): cut where it must.
    for (const p of word)
      for (const ch of p.text) {
        const piece = { ...p, text: ch };
        const cw = widthOf(doc, piece);
        if (used > 0 && used + cw > room()) newLine();
        const last = lines.at(-1)!.at(-1);
        if (last && last.font === p.font && last.level === p.level) last.text += ch;
        else lines.at(-1)!.push(piece);
        used += cw;
      }
  }
  return lines;
}

/**
 * Draws one line: its pieces in visual order (UAX #9, rule L2), right-aligned if the paragraph is
 * right to left, on a new page if it would run into the bottom margin.
 */
function drawLine(
  doc: Pdf,
  line: Piece[],
  at: { left: number; width: number; rtl: boolean; align?: WriteOptions['align'] | undefined },
): void {
  const visual = [...line];
  const highest = Math.max(0, ...visual.map((p) => p.level));
  const lowestOdd = Math.min(...visual.map((p) => p.level).filter((l) => l % 2 === 1), highest + 1);
  for (let level = highest; level >= lowestOdd; level--)
    for (let i = 0; i < visual.length; i++) {
      if (visual[i]!.level < level) continue;
      let j = i;
      while (j + 1 < visual.length && visual[j + 1]!.level >= level) j++;
      visual.splice(i, j - i + 1, ...visual.slice(i, j + 1).reverse());
      i = j;
    }
  const drawn = visual.map((p) => {
    if (p.level % 2 === 0) return p;
    // Right to left: brackets mirrored; the font's shaping puts a run of Arabic or Hebrew letters
    // in order itself, anything else (spaces, punctuation, digits apart) is turned round here.
    const mirrored = [...p.text].map((ch) => bidi.getMirroredCharacter(ch) ?? ch);
    return { ...p, text: (RTL_LETTER.test(p.text) ? mirrored : mirrored.reverse()).join('') };
  });
  const total = drawn.reduce((sum, p) => sum + widthOf(doc, p), 0);
  const side = at.align ?? (at.rtl ? 'right' : 'left');
  let x =
    side === 'right' ? at.left + at.width - total : side === 'center' ? at.left + (at.width - total) / 2 : at.left;
  // Every piece on one baseline (the fonts' ascents differ), the Latin font's, as on other lines.
  const latin = doc.font(names.latin.regular).currentLineHeight();
  const height = Math.max(latin, ...drawn.map((p) => doc.font(p.font).currentLineHeight(true)));
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const y = doc.y;
  for (const p of drawn) {
    doc.font(p.font).text(p.text, x, y + latin * 0.8, {
      lineBreak: false,
      baseline: 'alphabetic',
      features: featuresOf(p.font, p.text),
    });
    x += widthOf(doc, p);
  }
  doc.x = at.left;
  doc.y = y + height;
}
