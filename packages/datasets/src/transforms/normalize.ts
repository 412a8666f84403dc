import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Transform } from './transform';

/** `(x − mean)/std` per channel (torchvision's `Normalize`), channels last. */
export function normalize(mean: number | number[], std: number | number[]): Transform {
  const stds = Array.isArray(std) ? std : [std];
  if (stds.some((s) => !(s > 0)))
    throw new NntkError('INVALID_OPTION', `normalize: std must be > 0, got ${JSON.stringify(std)}`);
  return (images) =>
    tf.tidy(() =>
      tf.div(tf.sub(images, tf.tensor1d(Array.isArray(mean) ? mean : [mean])), tf.tensor1d(stds)),
    );
}
