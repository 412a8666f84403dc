import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from './constraint';
import { unitNorms } from './internal/norms';

/** Rescales each unit's incoming weight vector to norm at most `maxValue` (Srivastava et al. 2014; Keras's `MaxNorm`). */
export function maxNorm(maxValue: number, options: { axis?: number[] } = {}): Constraint {
  check.positive('maxNorm', 'maxValue', maxValue);
  return (w) =>
    tf.tidy(() => {
      const n = unitNorms(w, options.axis);
      w.assign(tf.mul(w, tf.div(tf.clipByValue(n, 0, maxValue), tf.add(n, 1e-7))));
    });
}
