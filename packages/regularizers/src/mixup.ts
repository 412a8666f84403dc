import { check, getRng, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { smoothLabels } from './smooth-labels';

export interface MixResult {
  x: tf.Tensor;
  /** Soft targets `[N, C]`, each row summing to 1. */
  y: tf.Tensor2D;
  /** The weight of the original samples. */
  lambda: number;
  /** The partner of each sample (a permutation of the batch). */
  permutation: Int32Array;
}

/**
 * mixup (Zhang et al. 2018): with λ ~ Beta(α, α) from nntk's seeded generator and a random pairing of the
 * batch, `x̃ = λx + (1 − λ)x_π`, `ỹ = λy + (1 − λ)y_π` (soft targets; use them with `crossEntropy`).
 */
export function mixup(
  x: tf.Tensor,
  y: tf.Tensor,
  options: { alpha?: number; numClasses: number; rng?: Rng },
): MixResult {
  const alpha = check.positive('mixup', 'alpha', options.alpha ?? 0.2);
  const rng = options.rng ?? getRng();
  const lambda = rng.beta(alpha, alpha);
  const permutation = rng.permutation(x.shape[0] as number);
  return tf.tidy(() => {
    const order = tf.tensor1d(permutation, 'int32');
    const targets = smoothLabels(y, { numClasses: options.numClasses, smoothing: 0 });
    const mixedX = tf.add(tf.mul(x, lambda), tf.mul(tf.gather(x, order), 1 - lambda));
    const mixedY = tf.add(
      tf.mul(targets, lambda),
      tf.mul(tf.gather(targets, order), 1 - lambda),
    ) as tf.Tensor2D;
    return { x: mixedX, y: mixedY, lambda, permutation };
  });
}
