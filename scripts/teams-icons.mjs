// Draws the Teams app icons from SVG with resvg (the same renderer as the patterns charts):
//   manifest/teams/color.png    192×192, the accent colour with a white magnifying glass
//   manifest/teams/outline.png   32×32, the same glass in white on transparent (Teams' rule)
// Run: node scripts/teams-icons.mjs   (the output is deterministic; commit the PNGs)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, '..', 'manifest', 'teams');
/** Must match accentColor in manifest.json: Teams fills the icon's background with it. */
export const ACCENT = '#1e5aa8';

/**
 * The magnifying glass on a 100-unit square, kept inside the middle of the icon (the safe area
 * Teams' design guidance asks for): a rim and a handle towards the bottom right.
 */
const glass = `
  <circle cx="44.5" cy="44.5" r="16.75" fill="none" stroke="white" stroke-width="5.5"/>
  <line x1="56.5" y1="56.5" x2="70.5" y2="70.5" stroke="white" stroke-width="8.4" stroke-linecap="butt"/>`;

const draw = (svg, size) =>
  new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();

export function colorIcon() {
  return draw(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" fill="${ACCENT}"/>${glass}</svg>`,
    192,
  );
}

export function outlineIcon() {
  return draw(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">${glass}</svg>`, 32);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'color.png'), colorIcon());
  fs.writeFileSync(path.join(outDir, 'outline.png'), outlineIcon());
  console.log(`wrote ${path.relative(process.cwd(), outDir)}/color.png and outline.png`);
}
