import * as tf from '@tensorflow/tfjs-core';
import { blend, grayscale } from './blend';
import { checkImages, type Magnitude } from './per-image';

/**
 * Contrast (torchvision's `F.adjust_contrast` on float images): a blend of each image with its mean grey
 * level `m` (the mean of its 0.2989 R + 0.587 G + 0.114 B luma, or of the single channel):
 * `clip(factor · x + (1 − factor) · m, 0, 1)`. `factor` is 1 + magnitude in the policies.
 */
export function contrast(images: tf.Tensor, factor: Magnitude): tf.Tensor {
  checkImages('contrast', images);
  return tf.tidy(() => blend('contrast', images, tf.mean(grayscale(images), [1, 2, 3], true), factor));
}
