import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ttf = (pkg: string, family: string, weight: '400Regular' | '700Bold' | '400Regular_Italic') =>
  require.resolve(`@expo-google-fonts/${pkg}/${weight}/${family}_${weight}.ttf`);

/**
 * The fonts every document and chart is drawn in, bundled from the package registry (never
 * fetched at run time): Noto Sans for Latin, Greek and Cyrillic (Polish, Vietnamese, Albanian,
 * Kurdish in Latin letters…), Amiri for Arabic, Dari, Pashto and Sorani (its letters are whole
 * glyphs, so the PDF's text reads back as written), and Noto Sans Ethiopic for Tigrinya and Amharic.
 */
export const fontFiles = {
  latin: {
    regular: ttf('noto-sans', 'NotoSans', '400Regular'),
    bold: ttf('noto-sans', 'NotoSans', '700Bold'),
    italic: ttf('noto-sans', 'NotoSans', '400Regular_Italic'),
  },
  arabic: { regular: ttf('amiri', 'Amiri', '400Regular'), bold: ttf('amiri', 'Amiri', '700Bold') },
  hebrew: {
    regular: ttf('noto-sans-hebrew', 'NotoSansHebrew', '400Regular'),
    bold: ttf('noto-sans-hebrew', 'NotoSansHebrew', '700Bold'),
  },
  ethiopic: {
    regular: ttf('noto-sans-ethiopic', 'NotoSansEthiopic', '400Regular'),
    bold: ttf('noto-sans-ethiopic', 'NotoSansEthiopic', '700Bold'),
  },
} as const;

/** The family charts name in their SVG, and the one resvg draws them in. */
export const CHART_FONT = 'Noto Sans';
