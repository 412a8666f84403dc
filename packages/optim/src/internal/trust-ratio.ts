import * as tf from '@tensorflow/tfjs-core';

/**
 * LAMB's layer-wise trust ratio `‖θ‖ / ‖r‖` (You et al. 2020), taken as 1 when either norm is 0; a scalar
 * tensor, so the update needs no read.
 */
export function trustRatio(param: tf.Tensor, update: tf.Tensor): tf.Tensor {
  const weightNorm = tf.norm(param);
  const updateNorm = tf.norm(update);
  const usable = tf.logicalAnd(tf.greater(weightNorm, 0), tf.greater(updateNorm, 0));
  return tf.where(usable, tf.div(weightNorm, tf.maximum(updateNorm, 1e-30)), tf.onesLike(weightNorm));
}
