import { NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Both tensors' values as arrays, after checking they hold as many elements. */

export function pairs(
  owner: string,
  predictions: tf.Tensor,
  targets: tf.Tensor,
): [Float32Array, Float32Array] {
  if (predictions.size !== targets.size)
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: ${predictions.size} predictions but ${targets.size} targets`,
    );
  return [Float32Array.from(predictions.dataSync()), Float32Array.from(targets.dataSync())];
}
