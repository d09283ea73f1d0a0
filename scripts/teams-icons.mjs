// Draws the Teams app icons with Node built-ins only (zlib for the PNG encoding):
//   manifest/teams/color.png    192×192, the accent colour with a white magnifying glass
//   manifest/teams/outline.png   32×32, the same glass in white on transparent (Teams' rule)
// Run: node scripts/teams-icons.mjs   (the output is deterministic; commit the PNGs)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { Buffer } from 'node:buffer';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, '..', 'manifest', 'teams');
/** Must match accentColor in manifest.json: Teams fills the icon's background with it. */
export const ACCENT = [0x1e, 0x5a, 0xa8];

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A truecolour-with-alpha PNG from a function giving [r, g, b, a] for each pixel. */
function png(size, pixel) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, not interlaced
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0: none
    for (let x = 0; x < size; x++) row.set(pixel(x, y), 1 + x * 4);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Whether a point (in units of the icon's size, 0..1) is on the magnifying glass. */
function onGlass(u, v) {
  // Kept inside the middle of the icon, the safe area Teams' design guidance asks for.
  const cx = 0.445;
  const cy = 0.445;
  const r = Math.hypot(u - cx, v - cy);
  if (r >= 0.14 && r <= 0.195) return true; // the rim
  // The handle: a thick segment from the rim towards the bottom right.
  const t = (u - cx + (v - cy)) / 2;
  const off = Math.abs(u - cx - (v - cy)) / Math.SQRT2;
  return t >= 0.13 && t <= 0.26 && off <= 0.042;
}

/** How much of a pixel the glass covers, from 4×4 samples (smooth edges). */
function coverage(x, y, size) {
  let hits = 0;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) if (onGlass((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size)) hits++;
  return hits / 16;
}

const blend = (a, b, t) => Math.round(a + (b - a) * t);

export function colorIcon() {
  return png(192, (x, y) => {
    const c = coverage(x, y, 192);
    return [blend(ACCENT[0], 255, c), blend(ACCENT[1], 255, c), blend(ACCENT[2], 255, c), 255];
  });
}

export function outlineIcon() {
  return png(32, (x, y) => [255, 255, 255, Math.round(255 * coverage(x, y, 32))]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'color.png'), colorIcon());
  fs.writeFileSync(path.join(outDir, 'outline.png'), outlineIcon());
  console.log(`wrote ${path.relative(process.cwd(), outDir)}/color.png and outline.png`);
}
