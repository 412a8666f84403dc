import { check, NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { targetsOf } from './internal/labels';

/**
 * The fraction of samples whose target is among the `k` highest scores. Ties at the k-th score are
 * broken towards the lower class index (a stable sort), so the result never exceeds what k distinct
 * predictions could achieve. Tensors are read with `await data()`.
 */
export async function topKAccuracy(
  scores: tf.Tensor,
  targets: tf.Tensor | ArrayLike<number>,
  k: number,
): Promise<number> {
  if (scores.rank !== 2)
    throw new NntkError(
      'SHAPE_MISMATCH',
      `topKAccuracy: scores must be [N, C], got [${scores.shape.join(', ')}]`,
    );
  const [n, c] = scores.shape;
  check.integer('topKAccuracy', 'k', k, 1);
  const values = await scores.data();
  const actual = await targetsOf('topKAccuracy', targets, n);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const target = values[i * c + actual[i]];
    // Classes ranked above the target: higher scores, or equal scores with a lower index.
    let above = 0;
    for (let j = 0; j < c; j++) {
      const v = values[i * c + j];
      if (v > target || (v === target && j < actual[i])) above++;
    }
    if (above < k) hits++;
  }
  return n === 0 ? 0 : hits / n;
}
