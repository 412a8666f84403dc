import type * as tf from '@tensorflow/tfjs-core';
import { checkImages } from './per-image';

/** Identity (RandAugment's and TrivialAugmentWide's no-op): a copy of the images. */
export function identity(images: tf.Tensor): tf.Tensor {
  checkImages('identity', images);
  return images.clone();
}
