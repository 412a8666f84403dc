import * as tf from '@tensorflow/tfjs-core';

/** `average ← decay·average + (1 − decay)·value`, the moment update every adaptive optimizer shares. */
export function updateMovingAverage(average: tf.Variable, value: tf.Tensor, decay: number): void {
  average.assign(tf.add(tf.mul(average, decay), tf.mul(value, 1 - decay)));
}
