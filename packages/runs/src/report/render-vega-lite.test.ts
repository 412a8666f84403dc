import { describe, expect, it } from 'vitest';
import { renderVegaLite } from './render-vega-lite';

describe('renderVegaLite', () => {
  it('renders a Vega-Lite spec to SVG without a browser', async () => {
    const svg = await renderVegaLite({
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      data: {
        values: [
          { x: 1, y: 2 },
          { x: 2, y: 3 },
        ],
      },
      mark: 'line',
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('</svg>');
  });

  it('rejects a value that is no view specification', async () => {
    await expect(renderVegaLite({ data: { values: [] } })).rejects.toThrow(
      /not a Vega-Lite view specification/,
    );
  });
});
