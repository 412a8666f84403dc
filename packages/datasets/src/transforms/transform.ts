import type { Rng } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';

/** A batched image transform: NHWC images in, NHWC images out, randomness from the generator given. */
export type Transform = (images: tf.Tensor, rng: Rng) => tf.Tensor;
