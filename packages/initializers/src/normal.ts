import { check } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { normalTensor, type RandomOptions } from './internal/draw';

/** Values from N(mean, std²) (`torch.nn.init.normal_`, defaults mean = 0, std = 1). */
export function normal(
  shape: number[],
  options: RandomOptions & { mean?: number; std?: number } = {},
): tf.Tensor {
  const std = check.nonNegative('normal', 'std', options.std ?? 1);
  return normalTensor(shape, check.number('normal', 'mean', options.mean ?? 0), std, options.rng);
}
