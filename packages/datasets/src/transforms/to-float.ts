import * as tf from '@tensorflow/tfjs-core';
import type { Transform } from './transform';

/** Integer pixels in [0, 255] to float32 in [0, 1]; float input is passed through. */
export function toFloat(): Transform {
  return (images) =>
    images.dtype === 'float32' ? images.clone() : tf.tidy(() => tf.div(tf.cast(images, 'float32'), 255));
}
