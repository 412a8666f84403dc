import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: the augmented VGG learns on wasm in one short epoch; curves written', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'cnn-vgg-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    expect(results.finalAccuracy).toBeGreaterThan(0.4); // chance is 0.1; 47 steps in quick mode
    expect(results.plots.some((p) => existsSync(p))).toBe(true);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
