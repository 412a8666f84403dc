import { getRng, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options every random initializer takes. */
export interface RandomOptions {
  /** The generator to draw from. Default: nntk's global generator (seed it with `seed(n)`). */
  rng?: Rng;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function uniformTensor(shape: number[], low: number, high: number, rng?: Rng): tf.Tensor {
  return tf.tensor((rng ?? getRng()).uniformArray(sizeOf(shape), low, high), shape, 'float32');
}

export function normalTensor(shape: number[], mean: number, std: number, rng?: Rng): tf.Tensor {
  return tf.tensor((rng ?? getRng()).normalArray(sizeOf(shape), mean, std), shape, 'float32');
}
