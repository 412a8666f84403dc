import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from './constraint';

/** Sets negative weights to zero (Keras's `NonNeg`). */
export function nonNeg(): Constraint {
  return (w) =>
    tf.tidy(() => {
      w.assign(tf.relu(w));
    });
}
