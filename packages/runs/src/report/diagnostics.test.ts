import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnosticsSection } from './diagnostics';

/** The PNG signature and a few bytes: the section embeds the file as it is, base64-encoded. */
const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

let dir: string;
const histogram = {
  min: -1,
  max: 1,
  num: 4,
  sum: 0,
  sumSquares: 2,
  bucketLimits: [0, 1],
  bucketCounts: [1, 3],
};
const record = {
  step: 20,
  epoch: 1,
  parameters: [
    {
      name: '<script>alert(1)</script>',
      shape: [2, 2],
      weightNorm: 1.5,
      gradNorm: 0.25,
      updateRatio: 0.001,
      weightHistogram: histogram,
      gradHistogram: histogram,
    },
  ],
  activations: [{ name: 'a"b', mean: 0.5, std: 0.1, fractionZero: 0.25 }],
  filters: { name: '0.weight', file: 'filters.png', width: 3, height: 2 },
};

describe('diagnosticsSection', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nntk-report-diag-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is empty for a run without diagnostics', async () => {
    expect(await diagnosticsSection(dir, 'none')).toBe('');
  });

  it('renders the last record: tables, histograms, filters, with every value escaped', async () => {
    await mkdir(join(dir, 'diagnostics'), { recursive: true });
    const first = { ...record, step: 10 };
    await writeFile(
      join(dir, 'diagnostics', 'records.jsonl'),
      `${JSON.stringify(first)}\n${JSON.stringify(record)}\n`,
    );
    await writeFile(join(dir, 'diagnostics', 'filters.png'), PNG_BYTES);
    const html = await diagnosticsSection(dir, 'run<1>');
    expect(html).toContain('Diagnostics: run&lt;1&gt;, step 20 (epoch 2)');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; weights');
    expect(html).toContain('a&quot;b');
    expect(html).toContain('<td>0.00100</td>');
    expect(html.match(/<rect /g)).toHaveLength(4);
    expect(html).toMatch(/src="data:image\/png;base64,iVBORw0KGgo[A-Za-z0-9+/=]+"/);
  });

  it('names the file and line of a corrupt record', async () => {
    const bad = join(dir, 'bad');
    await mkdir(join(bad, 'diagnostics'), { recursive: true });
    await writeFile(join(bad, 'diagnostics', 'records.jsonl'), '{"step":1}\n{oops\n');
    await expect(diagnosticsSection(bad, 'bad')).rejects.toThrow(/records.jsonl, line 2, is not valid JSON/);
  });
});
