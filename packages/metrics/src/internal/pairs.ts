import { NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Both tensors' values (read with `await data()`), after checking they hold as many elements. */
export async function pairs(
  owner: string,
  predictions: tf.Tensor,
  targets: tf.Tensor,
): Promise<[Float32Array, Float32Array]> {
  if (predictions.size !== targets.size)
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: ${predictions.size} predictions but ${targets.size} targets`,
    );
  const [p, t] = await Promise.all([predictions.data(), targets.data()]);
  return [Float32Array.from(p), Float32Array.from(t)];
}
