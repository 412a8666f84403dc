import * as tf from '@tensorflow/tfjs-core';

/** A non-trainable state variable shaped like `param`, filled with `fill` (call inside `tf.tidy`). */
export function stateVariable(param: tf.Tensor, fill = 0): tf.Variable {
  return tf.variable(tf.fill(param.shape, fill, 'float32'), false);
}
