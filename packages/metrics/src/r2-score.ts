import type * as tf from '@tensorflow/tfjs-core';
import { pairs } from './internal/pairs';

/**
 * The coefficient of determination `1 − SS_res/SS_tot` over all elements (scikit-learn's `r2_score` of
 * flattened values); 1 for a perfect fit of constant targets, 0 when imperfect and the targets are constant.
 */
export async function r2Score(predictions: tf.Tensor, targets: tf.Tensor): Promise<number> {
  const [p, t] = await pairs('r2Score', predictions, targets);
  const mean = t.reduce((a, b) => a + b, 0) / t.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    residual += (t[i] - p[i]) ** 2;
    total += (t[i] - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
