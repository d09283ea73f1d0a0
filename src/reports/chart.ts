import { drawText, textWidth } from './font.ts';
import { Canvas } from './png.ts';

type Rgb = [number, number, number];
const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [30, 30, 30];
const LINE: Rgb = [210, 214, 220];
const LIGHT: Rgb = [219, 234, 254];
const DARK: Rgb = [30, 58, 138];

/** From light to dark blue as the count nears the busiest cell. */
function shade(count: number, max: number): Rgb {
  if (count === 0) return WHITE;
  const t = max <= 1 ? 1 : (count - 1) / (max - 1);
  return LIGHT.map((l, i) => Math.round(l + (DARK[i]! - l) * t)) as Rgb;
}

/**
 * The weekday × hour chart: a row a weekday, a column an hour, each cell shaded by how many
 * episodes began then, with the count written in it. Drawn at `scale` for a crisp print.
 */
export function weekdayHourChart(grid: number[][], scale = 2): Uint8Array {
  const cellW = 22;
  const cellH = 20;
  const left = 30;
  const top = 8;
  const width = left + cellW * 24 + 12;
  const height = top + cellH * 7 + 34;
  const canvas = new Canvas(width * scale, height * scale);
  const box = (x: number, y: number, w: number, h: number, c: Rgb) =>
    canvas.rect(x * scale, y * scale, w * scale, h * scale, c);
  const text = (t: string, x: number, y: number, c: Rgb) => drawText(canvas, t, x * scale, y * scale, c, scale);
  const max = Math.max(0, ...grid.flat());

  box(left, top, cellW * 24 + 1, cellH * 7 + 1, LINE);
  for (let d = 0; d < 7; d++) {
    text(days[d]!, 4, top + d * cellH + 7, INK);
    for (let h = 0; h < 24; h++) {
      const count = grid[d]?.[h] ?? 0;
      const colour = shade(count, max);
      box(left + h * cellW + 1, top + d * cellH + 1, cellW - 1, cellH - 1, colour);
      if (count > 0) {
        const label = String(count);
        const dark = colour[0] < 140;
        text(
          label,
          left + h * cellW + Math.floor((cellW - textWidth(label)) / 2),
          top + d * cellH + 7,
          dark ? WHITE : INK,
        );
      }
    }
  }
  for (let h = 0; h < 24; h += 3) {
    const label = String(h).padStart(2, '0');
    text(label, left + h * cellW + Math.floor((cellW - textWidth(label)) / 2), top + cellH * 7 + 5, INK);
  }
  text('hour', left + cellW * 12 - 12, top + cellH * 7 + 19, INK);
  return canvas.png();
}
