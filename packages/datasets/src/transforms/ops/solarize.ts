import * as tf from '@tensorflow/tfjs-core';
import { checkImages, type Magnitude, magnitudes, perImageTensor } from './per-image';

/**
 * Solarize (torchvision's `F.solarize`): inverts every pixel at or above `threshold`:
 * `x ≥ t ? 1 − x : x`. Thresholds are on nntk's [0, 1] scale: torchvision's uint8 threshold T (the
 * policies' bins run 255 … 0) is T / 255 here, so on images of levels k/255 the result is torchvision's
 * uint8 result / 255 (a threshold of 1 inverts only white pixels, 0 inverts everything).
 */
export function solarize(images: tf.Tensor, threshold: Magnitude): tf.Tensor {
  const [n] = checkImages('solarize', images);
  const t = magnitudes('solarize', n, threshold);
  return tf.tidy(() => tf.where(tf.greaterEqual(images, perImageTensor(t)), tf.sub(1, images), images));
}
