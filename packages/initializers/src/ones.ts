import * as tf from '@tensorflow/tfjs-core';

/** A tensor of ones (`torch.nn.init.ones_`). */
export function ones(shape: number[]): tf.Tensor {
  return tf.ones(shape, 'float32');
}
