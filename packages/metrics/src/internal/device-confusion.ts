import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * One batch's confusion counts `[C, C]` (rows true, columns predicted) computed on the device:
 * `oneHot(targets)ᵀ · oneHot(predicted)`. Nothing is read back. Labels outside `[0, C)` one-hot to zero
 * rows and go uncounted; the collection detects that from the totals when it reads them.
 */
export function deviceConfusion(
  owner: string,
  predictions: tf.Tensor,
  targets: tf.Tensor,
  numClasses: number,
): tf.Tensor2D {
  if (predictions.rank !== 1 && predictions.rank !== 2)
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: predictions must be labels [N] or scores [N, C], got [${predictions.shape.join(', ')}]`,
    );
  const n = predictions.shape[0];
  if (targets.size !== n)
    throw new NntkError('SHAPE_MISMATCH', `${owner}: ${n} predictions but ${targets.size} targets`);
  return tf.tidy(() => {
    const predicted = predictions.rank === 2 ? tf.argMax(predictions, 1) : tf.cast(predictions, 'int32');
    const actual = tf.cast(tf.reshape(targets, [n]), 'int32');
    // int32 one-hots then a cast: tfjs-backend-wasm's OneHot ignores a float32 dtype (writes int32 bits).
    const p = tf.cast(tf.oneHot(predicted, numClasses), 'float32');
    const t = tf.cast(tf.oneHot(actual, numClasses), 'float32');
    return tf.matMul(t, p, true, false) as tf.Tensor2D;
  });
}
