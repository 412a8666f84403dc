import type * as tf from '@tensorflow/tfjs-core';
import { pairs } from './internal/pairs';

/** Mean of `(prediction − target)²` over all elements. */
export async function meanSquaredError(predictions: tf.Tensor, targets: tf.Tensor): Promise<number> {
  const [p, t] = await pairs('meanSquaredError', predictions, targets);
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += (p[i] - t[i]) ** 2;
  return sum / p.length;
}
