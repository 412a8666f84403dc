import type * as tf from '@tensorflow/tfjs-core';
import { pairs } from './internal/pairs';

/** Mean of `|prediction − target|` over all elements. */
export async function meanAbsoluteError(predictions: tf.Tensor, targets: tf.Tensor): Promise<number> {
  const [p, t] = await pairs('meanAbsoluteError', predictions, targets);
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i] - t[i]);
  return sum / p.length;
}
