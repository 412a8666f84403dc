import { NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Predicted labels from class scores `[N, C]` (argmax, first index on ties) or from labels `[N]`. */
export function toLabels(owner: string, predictions: tf.Tensor | ArrayLike<number>): Int32Array {
  if (!('dataSync' in predictions)) return Int32Array.from(predictions as ArrayLike<number>);
  const t = predictions as tf.Tensor;
  if (t.rank === 1) return Int32Array.from(t.dataSync());
  if (t.rank !== 2)
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: predictions must be labels [N] or scores [N, C], got [${t.shape.join(', ')}]`,
    );
  const [n, c] = t.shape;
  const scores = t.dataSync();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (scores[i * c + j] > scores[i * c + best]) best = j;
    out[i] = best;
  }
  return out;
}

export function targetsOf(owner: string, targets: tf.Tensor | ArrayLike<number>, n: number): Int32Array {
  const values =
    'dataSync' in targets
      ? Int32Array.from((targets as tf.Tensor).dataSync())
      : Int32Array.from(targets as ArrayLike<number>);
  if (values.length !== n)
    throw new NntkError('SHAPE_MISMATCH', `${owner}: ${n} predictions but ${values.length} targets`);
  return values;
}
