import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: both cells learn (GRU well below the predict-1 baseline, LSTM below it); results and plot are written', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'lstm-adding-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    const [lstm, gru] = results.cells;
    expect(gru.testMse.at(-1)).toBeLessThan(results.baseline / 2);
    expect(lstm.testMse.at(-1)).toBeLessThan(results.baseline);
    expect(existsSync(join(outDir, 'results.md'))).toBe(true);
    expect(results.plots.every((p) => p.endsWith('.svg') && existsSync(p))).toBe(true);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
