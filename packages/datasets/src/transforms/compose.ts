import * as tf from '@tensorflow/tfjs-core';
import type { Transform } from './transform';

/** Applies transforms in order (intermediate tensors are freed). */
export function compose(...transforms: Transform[]): Transform {
  return (images, rng) => tf.tidy(() => transforms.reduce((x, t) => t(x, rng), images));
}
