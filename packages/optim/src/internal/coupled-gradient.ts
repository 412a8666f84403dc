import * as tf from '@tensorflow/tfjs-core';

/**
 * The gradient an update works with, as PyTorch forms it: negated when maximizing, plus the L2 term
 * `weightDecay·θ` (coupled weight decay).
 */
export function coupledGradient(
  param: tf.Tensor,
  grad: tf.Tensor,
  group: { maximize: boolean; weightDecay: number },
): tf.Tensor {
  const d = group.maximize ? tf.neg(grad) : grad;
  return group.weightDecay !== 0 ? tf.add(d, tf.mul(param, group.weightDecay)) : d;
}
