import { NntkError } from '@nntk/core';
import type { TopLevelSpec } from 'vega-lite';

/** The keys one of which every Vega-Lite view specification has. */
const VIEW_KEYS = ['mark', 'layer', 'concat', 'hconcat', 'vconcat', 'facet', 'repeat'];

function isTopLevelSpec(spec: object): spec is TopLevelSpec {
  return VIEW_KEYS.some((key) => key in spec);
}

/**
 * Renders a Vega-Lite specification to SVG with Vega's headless renderer (no browser DOM, no canvas):
 * in Node and in a browser alike. `vega` and `vega-lite` are loaded on first use. A value that is no
 * view specification (no mark, layer, concat, facet or repeat) raises an `INVALID_OPTION` NntkError.
 */
export async function renderVegaLite(spec: Record<string, unknown>): Promise<string> {
  if (!isTopLevelSpec(spec))
    throw new NntkError(
      'INVALID_OPTION',
      `renderVegaLite: not a Vega-Lite view specification (it needs one of ${VIEW_KEYS.join(', ')})`,
    );
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
