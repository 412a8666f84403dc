import * as tf from '@tensorflow/tfjs-core';
import { updateMovingAverage } from './moving-average';

/** The first moment `m ← β₁m + (1 − β₁)g` (Adam's `exp_avg`). */
export function firstMoment(expAvg: tf.Variable, d: tf.Tensor, beta1: number): void {
  updateMovingAverage(expAvg, d, beta1);
}

/** The second moment `v ← β₂v + (1 − β₂)g²` (Adam's `exp_avg_sq`, RMSprop's `square_avg`). */
export function secondMoment(expAvgSq: tf.Variable, d: tf.Tensor, beta2: number): void {
  updateMovingAverage(expAvgSq, tf.square(d), beta2);
}

/** The bias correction `1 − βᵗ` of a moment after `step` steps (Kingma and Ba 2015, section 3). */
export function biasCorrection(beta: number, step: number): number {
  return 1 - beta ** step;
}
