import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT, fontFiles } from '../fonts.ts';

// Vega, Vega-Lite and resvg are loaded when a chart is first drawn, not with the bot: most
// processes never draw one, and they weigh tens of megabytes.

/** A Vega-Lite specification drawn by Vega as SVG (no browser, no canvas: Vega's own SVG renderer). */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** An SVG as a PNG by resvg, in the bundled font, at `scale` times its size for a crisp print. */
export async function svgPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const { regular, bold } = fontFiles.latin;
  const resvg = new Resvg(svg, {
    font: {
      fontFiles: [regular, bold, fontFiles.arabic.regular, fontFiles.hebrew.regular, fontFiles.ethiopic.regular],
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
  return new Uint8Array(resvg.render().asPng());
}
