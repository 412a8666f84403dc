import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sortedSequences } from './sorted-sequences';
import { runStudy } from './study';

it('the generated task: balanced labels, sorted exactly when labelled 1, padding after each sequence', () => {
  const { ids, labels, n, maxLength } = sortedSequences({
    n: 400,
    seed: 3,
    vocabulary: 16,
    minLength: 6,
    maxLength: 12,
  });
  expect(labels.reduce((a, b) => a + b, 0)).toBe(200);
  for (let i = 0; i < n; i++) {
    const row = Array.from(ids.subarray(i * maxLength, (i + 1) * maxLength));
    const length = row.indexOf(0) < 0 ? maxLength : row.indexOf(0);
    expect(length).toBeGreaterThanOrEqual(6);
    expect(row.slice(length).every((v) => v === 0)).toBe(true);
    const tokens = row.slice(0, length);
    const sorted = tokens.every((v, j) => j === 0 || tokens[j - 1] <= v);
    expect(sorted).toBe(labels[i] === 1);
  }
});

it('quick run: with positions the encoder learns the task, without them it stays near chance', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'transformer-classifier-'));
  try {
    const results = await runStudy({ quick: true, outDir }, ['sinusoidal', 'none']);
    const [withPositions, without] = results.variants;
    expect(withPositions.accuracy.at(-1)).toBeGreaterThan(0.75);
    expect(Math.abs((without.accuracy.at(-1) as number) - 0.5)).toBeLessThan(0.08);
    expect(existsSync(join(outDir, 'results.md'))).toBe(true);
    expect(results.plots.some((p) => p.endsWith('.svg') && existsSync(p))).toBe(true);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
