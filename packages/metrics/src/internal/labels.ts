import { NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';

/** A tensor (read with `await data()`) rather than plain numbers. */
export function isTensor(x: tf.Tensor | ArrayLike<number>): x is tf.Tensor {
  return typeof (x as tf.Tensor).data === 'function' && Array.isArray((x as tf.Tensor).shape);
}

/** Row-wise argmax of `[n, c]` scores, the first index on ties. */
export function argmaxRows(scores: ArrayLike<number>, n: number, c: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (scores[i * c + j] > scores[i * c + best]) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * Predicted labels from class scores `[N, C]` (argmax, first index on ties) or from labels `[N]`. A tensor
 * is read with one `await data()` (no synchronous device read).
 */
export async function toLabels(
  owner: string,
  predictions: tf.Tensor | ArrayLike<number>,
): Promise<Int32Array> {
  if (!isTensor(predictions)) return Int32Array.from(predictions);
  if (predictions.rank !== 1 && predictions.rank !== 2)
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: predictions must be labels [N] or scores [N, C], got [${predictions.shape.join(', ')}]`,
    );
  const values = await predictions.data();
  if (predictions.rank === 1) return Int32Array.from(values);
  const [n, c] = predictions.shape;
  return argmaxRows(values, n, c);
}

/** The target labels as integers, checked to be as many as the predictions. */
export async function targetsOf(
  owner: string,
  targets: tf.Tensor | ArrayLike<number>,
  n: number,
): Promise<Int32Array> {
  const values = isTensor(targets) ? Int32Array.from(await targets.data()) : Int32Array.from(targets);
  if (values.length !== n)
    throw new NntkError('SHAPE_MISMATCH', `${owner}: ${n} predictions but ${values.length} targets`);
  return values;
}
