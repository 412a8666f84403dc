import { check, checkOptions } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, expectSameShape, type Reduction, reduce } from './internal/reduce';

/**
 * Huber loss (`torch.nn.functional.huber_loss`): `d²/2` for `|d| < δ`, else `δ(|d| − δ/2)`, written as
 * `q²/2 + δ(|d| − q)` with `q = min(|d|, δ)` so no mask is built inside the gradient.
 */
export function huberLoss(
  input: tf.Tensor,
  target: tf.Tensor,
  options: { delta?: number; reduction?: Reduction } = {},
): tf.Tensor {
  checkOptions('huberLoss', options, { delta: true, reduction: true });
  const delta = check.positive('huberLoss', 'delta', options.delta ?? 1);
  const reduction = checkReduction('huberLoss', options.reduction ?? 'mean');
  expectSameShape('huberLoss', input, target);
  return tf.tidy(() => {
    const a = tf.abs(tf.sub(input, target));
    const q = tf.minimum(a, delta);
    return reduce(tf.add(tf.mul(0.5, tf.square(q)), tf.mul(delta, tf.sub(a, q))), reduction);
  });
}
