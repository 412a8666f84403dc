import { checkOptions } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, expectSameShape, type Reduction, reduce } from './internal/reduce';

/**
 * Binary cross-entropy on logits (`torch.nn.functional.binary_cross_entropy_with_logits`), numerically
 * stable: `(1 − y)x + (1 + (p − 1)y)·(log(1 + e^−|x|) + max(−x, 0))`, times `weight`; `posWeight` p
 * weighs the positive class (per class, broadcast along the last axis).
 */
export function bceWithLogits(
  logits: tf.Tensor,
  target: tf.Tensor,
  options: { weight?: tf.Tensor; posWeight?: tf.Tensor; reduction?: Reduction } = {},
): tf.Tensor {
  checkOptions('bceWithLogits', options, { weight: true, posWeight: true, reduction: true });
  const reduction = checkReduction('bceWithLogits', options.reduction ?? 'mean');
  expectSameShape('bceWithLogits', logits, target);
  return tf.tidy(() => {
    const softplusTerm = tf.add(tf.log1p(tf.exp(tf.neg(tf.abs(logits)))), tf.relu(tf.neg(logits)));
    const positive = options.posWeight
      ? tf.add(1, tf.mul(tf.sub(options.posWeight, 1), target))
      : tf.onesLike(target);
    let loss = tf.add(tf.mul(tf.sub(1, target), logits), tf.mul(positive, softplusTerm));
    if (options.weight) loss = tf.mul(loss, options.weight);
    return reduce(loss, reduction);
  });
}
