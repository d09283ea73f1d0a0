import type { Canvas } from './png.ts';

// A 5×7 bitmap font with only the characters the charts write: digits, weekday names and "hour".
const glyphs: Record<string, string> = {
  '0': '.###.#...##..###.#.###..##...#.###.',
  '1': '..#...##....#....#....#....#...###.',
  '2': '.###.#...#....#...#...#...#...#####',
  '3': '#####...#...#.....#.....##...#.###.',
  '4': '...#...##..#.#.#..#.#####...#....#.',
  '5': '######....####.....#....##...#.###.',
  '6': '..##..#...#....####.#...##...#.###.',
  '7': '#####....#...#...#...#....#....#...',
  '8': '.###.#...##...#.###.#...##...#.###.',
  '9': '.###.#...##...#.####....#...#..##..',
  M: '#...###.###.#.##.#.##...##...##...#',
  o: '...........###.#...##...##...#.###.',
  n: '..........#.##.##..##...##...##...#',
  T: '#####..#....#....#....#....#....#..',
  u: '..........#...##...##...##..##.##.#',
  e: '...........###.#...#######.....###.',
  W: '#...##...##...##.#.##.#.##.#.#.#.#.',
  d: '....#....#.##.##..###...##...#.####',
  h: '#....#....#.##.##..##...##...##...#',
  F: '######....#....####.#....#....#....',
  r: '..........#.##.##..##....#....#....',
  i: '..#........##....#....#....#...###.',
  S: '.#####....#.....###.....#....#####.',
  a: '...........###.....#.#####...#.####',
  t: '.#....#...###...#....#....#..#..##.',
  ' ': '...................................',
};

/** Width in pixels of a text at a scale (6 columns a character, the last one blank). */
export const textWidth = (text: string, scale = 1) => text.length * 6 * scale - scale;

/** Writes text with its top-left corner at (x, y); unknown characters are left blank. */
export function drawText(
  canvas: Canvas,
  text: string,
  x: number,
  y: number,
  colour: [number, number, number],
  scale = 1,
): void {
  [...text].forEach((ch, n) => {
    const glyph = glyphs[ch];
    if (!glyph) return;
    for (let row = 0; row < 7; row++)
      for (let col = 0; col < 5; col++)
        if (glyph[row * 5 + col] === '#') canvas.rect(x + (n * 6 + col) * scale, y + row * scale, scale, scale, colour);
  });
}
