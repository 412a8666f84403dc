import * as tf from '@tensorflow/tfjs-core';
import { blend } from './blend';
import { checkImages, type Magnitude } from './per-image';

/**
 * Brightness (torchvision's `F.adjust_brightness` on float images): `clip(factor · x, 0, 1)`, i.e. a blend
 * with black. `factor` is 1 + magnitude in the policies; one factor for the batch or one per image.
 */
export function brightness(images: tf.Tensor, factor: Magnitude): tf.Tensor {
  checkImages('brightness', images);
  return tf.tidy(() => blend('brightness', images, tf.zerosLike(images), factor));
}
