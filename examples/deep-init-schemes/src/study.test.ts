import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: 9 configurations learn to denoise, plots and summary written; a re-run skips them all', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'deep-init-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    expect(results.points).toHaveLength(9);
    const mse = (depth: number, init: string) =>
      results.points.find((p) => p.depth === depth && p.init === init)?.mse as number;
    for (const init of ['rezero', 'fixup']) {
      // ReZero and Fixup train at every depth, below the noise variance the inputs carry (σ² = 0.09).
      for (const depth of [4, 8, 16]) expect(mse(depth, init)).toBeLessThan(0.09);
    }
    // He-initialised standard blocks at depth 16 diverge (NaN) or end worse than Fixup.
    const standard16 = mse(16, 'standard');
    expect(Number.isNaN(standard16) || standard16 > mse(16, 'fixup')).toBe(true);
    expect(existsSync(join(outDir, 'mse-by-depth.svg'))).toBe(true);
    expect(existsSync(results.summary)).toBe(true);
    const again = await runStudy({ quick: true, outDir });
    expect(again.skipped).toBe(9);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
