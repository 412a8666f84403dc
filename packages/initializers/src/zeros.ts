import * as tf from '@tensorflow/tfjs-core';

/** A tensor of zeros (`torch.nn.init.zeros_`). */
export function zeros(shape: number[]): tf.Tensor {
  return tf.zeros(shape, 'float32');
}
