import * as tf from '@tensorflow/tfjs-core';

/** The norms along `axis` (default: every axis but the last, i.e. per output unit in nntk's layouts). */
export function unitNorms(w: tf.Tensor, axis?: number[]): tf.Tensor {
  const axes = axis ?? w.shape.slice(0, -1).map((_, i) => i);
  return tf.sqrt(tf.sum(tf.square(w), axes, true));
}
