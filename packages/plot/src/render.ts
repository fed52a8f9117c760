import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export type FigureFormat = 'svg' | 'png';

/**
 * Renders a Vega-Lite spec to SVG text. Vega's headless view needs no canvas or DOM, so the
 * same spec renders in Node (CLI figures) and in the browser (the editor).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders to SVG or PNG. PNG goes through resvg (a native module shipped in the npm registry
 * package, loaded only when asked for) at `scale` times the SVG's size.
 */
export async function renderFigure(spec: TopLevelSpec, format: FigureFormat, scale = 2): Promise<string | Uint8Array> {
  const svg = await renderSvg(spec);
  if (format === 'svg') return svg;
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, background: 'white', font: { loadSystemFonts: true } })
    .render()
    .asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** The format a file name asks for, or undefined for an unsupported extension. */
export function figureFormatOf(path: string): FigureFormat | undefined {
  const m = /\.(svg|png)$/i.exec(path);
  return m ? (m[1]!.toLowerCase() as FigureFormat) : undefined;
}
