import { getRng, NntkError, Rng } from '@nntk/core';
import type { Dataset } from './dataset';
import { Subset } from './subset';

/**
 * Splits a data set into non-overlapping random subsets (PyTorch's `random_split`): `lengths` are counts
 * or fractions summing to 1 (remainders go to the first subsets, one each, as PyTorch does).
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: number[],
  options: { seed?: number } = {},
): Subset<T>[] {
  const n = dataset.length;
  let counts = lengths;
  const fractional =
    lengths.every((l) => l >= 0 && l <= 1) && Math.abs(lengths.reduce((a, b) => a + b, 0) - 1) < 1e-9;
  if (fractional) {
    counts = lengths.map((f) => Math.floor(n * f));
    let remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; remainder > 0; i = (i + 1) % counts.length, remainder--) counts[i] += 1;
  }
  if (counts.reduce((a, b) => a + b, 0) !== n || counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new NntkError(
      'INVALID_OPTION',
      `randomSplit: lengths ${JSON.stringify(lengths)} must be counts summing to ${n} or fractions summing to 1`,
    );
  }
  const rng = options.seed === undefined ? getRng() : new Rng(options.seed);
  const order = rng.permutation(n);
  let offset = 0;
  return counts.map((count) => {
    const part = new Subset(dataset, order.subarray(offset, offset + count));
    offset += count;
    return part;
  });
}
