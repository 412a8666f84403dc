import * as tf from '@tensorflow/tfjs-core';
import { checkImages } from './per-image';

/** Invert (torchvision's `F.invert` on float images): `1 − x`. */
export function invert(images: tf.Tensor): tf.Tensor {
  checkImages('invert', images);
  return tf.tidy(() => tf.sub(1, images));
}
