import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: plain variables learn with AdamW + schedule + clipping + accumulation, without leaking tensors', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'custom-trainer-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    expect(results.finalAccuracy).toBeGreaterThan(0.7);
    expect(results.optimizerSteps).toBe(32); // 4,096 examples / (32 × 4)
    expect(results.history[0].leakedTensors).toBe(4 * 2 + 0); // AdamW's two moments per variable, nothing else
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
