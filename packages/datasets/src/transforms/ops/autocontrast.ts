import * as tf from '@tensorflow/tfjs-core';
import { checkImages } from './per-image';

/**
 * Autocontrast (torchvision's `F.autocontrast` on float images): stretches each channel of each image to
 * [0, 1], `clip((x − min) / (max − min), 0, 1)`; a constant channel is kept (torchvision's minimum 0,
 * scale 1 when max = min).
 */
export function autocontrast(images: tf.Tensor): tf.Tensor {
  checkImages('autocontrast', images);
  return tf.tidy(() => {
    const low = tf.min(images, [1, 2], true);
    const high = tf.max(images, [1, 2], true);
    const flat = tf.equal(high, low);
    const minimum = tf.where(flat, tf.zerosLike(low), low);
    const scale = tf.where(flat, tf.onesLike(low), tf.div(1, tf.sub(high, low)));
    return tf.clipByValue(tf.mul(tf.sub(images, minimum), scale), 0, 1);
  });
}
