import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: both models learn, BatchNorm learns faster, results and plots are written', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'batchnorm-study-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    const [plain, bn] = results.variants;
    expect(plain.accuracy.at(-1)).toBeGreaterThan(0.2); // chance is 0.1
    expect(bn.accuracy.at(-1)).toBeGreaterThan(0.6);
    expect(bn.accuracy[0]).toBeGreaterThan(plain.accuracy[0]);
    expect(existsSync(join(outDir, 'results.md'))).toBe(true);
    expect(results.plots.some((p) => p.endsWith('.svg') && existsSync(p))).toBe(true);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
