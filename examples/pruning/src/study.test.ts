import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: 80% sparse keeps most of the accuracy; compact is smaller, as accurate and equal in outputs', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'pruning-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    const sparse = results.magnitude.find((r) => r.sparsity === 0.8);
    expect(sparse?.measured).toBeCloseTo(0.8, 2);
    expect(sparse?.accuracy).toBeGreaterThan(results.controlAccuracy - 0.05);
    expect(results.structured.compact.parameters).toBeLessThan(results.structured.dense.parameters / 1.8);
    expect(results.maxOutputGap).toBeLessThan(1e-4);
    expect(existsSync(join(outDir, 'results.md'))).toBe(true);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
