import * as tf from '@tensorflow/tfjs-core';
import { blend, grayscale } from './blend';
import { checkImages, type Magnitude } from './per-image';

/**
 * Colour, i.e. saturation (torchvision's `F.adjust_saturation` on float images): a blend of each image with
 * its luma `g = 0.2989 R + 0.587 G + 0.114 B`: `clip(factor · x + (1 − factor) · g, 0, 1)`; one-channel
 * images are returned unchanged (as torchvision, matching PIL). `factor` is 1 + magnitude in the policies.
 */
export function color(images: tf.Tensor, factor: Magnitude): tf.Tensor {
  const [, , , c] = checkImages('color', images);
  if (c === 1) return images.clone();
  return tf.tidy(() => blend('color', images, grayscale(images), factor));
}
