import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runStudy } from './study';

it('quick run: model.fit trains with nntk AdamW + schedule + clipping as well as with tfjs Adam', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'interop-'));
  try {
    const results = await runStudy({ quick: true, outDir });
    const [adam, nntk] = results.rows;
    expect(adam.finalAccuracy).toBeGreaterThan(0.7);
    expect(nntk.finalAccuracy).toBeGreaterThan(0.7);
    expect(nntk.finalAccuracy).toBeGreaterThan(adam.finalAccuracy - 0.03);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
