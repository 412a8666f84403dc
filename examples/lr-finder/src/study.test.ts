import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: a sensible suggested lr, and the OneCycle run with it learns', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'lr-finder-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    expect(results.suggestedLr).toBeGreaterThan(1e-4);
    expect(results.suggestedLr).toBeLessThan(5);
    expect(results.finalAccuracy).toBeGreaterThan(0.5);
    expect(existsSync(join(outDir, 'lr-range-test.svg'))).toBe(true);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
