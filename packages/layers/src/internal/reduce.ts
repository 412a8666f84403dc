import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction(owner: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option 'reduction' must be one of 'mean', 'sum', 'none', got ${JSON.stringify(reduction)}`,
    );
  }
  return reduction;
}

/** Applies a PyTorch reduction to elementwise losses. */
export function reduce(losses: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(losses);
  if (reduction === 'sum') return tf.sum(losses);
  return losses;
}

export function expectSameShape(owner: string, input: tf.Tensor, target: tf.Tensor): void {
  if (!tf.util.arraysEqual(input.shape, target.shape)) {
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: input [${input.shape.join(', ')}] and target [${target.shape.join(', ')}] must have the same shape`,
    );
  }
}
