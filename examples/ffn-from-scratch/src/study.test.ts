import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: metrics are consistent, naive random init trails He init, a confusion matrix is drawn', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'ffn-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    const baseline = results.rows[0];
    expect(baseline.accuracy).toBeGreaterThan(0.7);
    for (const r of results.rows) {
      expect(r.f1).toBeGreaterThan(0);
      expect(r.f1).toBeLessThanOrEqual(Math.max(r.precision, r.recall) + 1e-9);
    }
    const random = results.rows.find((r) => r.name.startsWith('init: random'));
    expect(random?.accuracy).toBeLessThan(baseline.accuracy);
    expect(readFileSync(results.report, 'utf8')).toContain('<table class="confusion">');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
