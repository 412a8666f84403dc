import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: all six optimisers learn (well above chance), curves and table written', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'optimizers-tour-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    expect(results.rows).toHaveLength(6);
    for (const row of results.rows) expect(row.finalAccuracy, row.optimizer).toBeGreaterThan(0.4); // chance is 0.1; 80 steps in quick mode
    expect(results.plots.filter((p) => existsSync(p)).length).toBeGreaterThan(2);
    expect(existsSync(join(outDir, 'results.md'))).toBe(true);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
