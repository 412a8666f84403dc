import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from './constraint';
import { unitNorms } from './internal/norms';

/** Rescales each unit's incoming weight vector to unit norm (Keras's `UnitNorm`). */
export function unitNorm(options: { axis?: number[] } = {}): Constraint {
  return (w) =>
    tf.tidy(() => {
      w.assign(tf.div(w, tf.add(unitNorms(w, options.axis), 1e-7)));
    });
}
