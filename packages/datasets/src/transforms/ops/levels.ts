import * as tf from '@tensorflow/tfjs-core';

/** Float pixels in [0, 1] to the integer levels 0…255 torchvision's uint8 ops see: `round(255·x)`, clipped. */
export function toLevels(images: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.round(tf.mul(images, 255)), 0, 255));
}
