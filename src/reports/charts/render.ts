import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT, fontFiles } from '../fonts.ts';

/** A Vega-Lite specification drawn by Vega as SVG (no browser, no canvas: Vega's own SVG renderer). */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** An SVG as a PNG by resvg, in the bundled font, at `scale` times its size for a crisp print. */
export function svgPng(svg: string, scale = 2): Uint8Array {
  const { regular, bold } = fontFiles.latin;
  const resvg = new Resvg(svg, {
    font: {
      fontFiles: [regular, bold, fontFiles.arabic.regular, fontFiles.ethiopic.regular],
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
  return new Uint8Array(resvg.render().asPng());
}
