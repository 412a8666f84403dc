import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** A tensor filled with `value` (`torch.nn.init.constant_`). */
export function constant(shape: number[], value: number): tf.Tensor {
  return tf.fill(shape, check.number('constant', 'value', value), 'float32');
}
