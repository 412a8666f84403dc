import { check } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { computeFans } from './compute-fans';
import { type RandomOptions, uniformTensor } from './internal/draw';

/**
 * Glorot/Xavier uniform (Glorot and Bengio 2010), `torch.nn.init.xavier_uniform_`:
 * U(−a, a) with `a = gain·√(6/(fanIn + fanOut))`.
 */
export function xavierUniform(shape: number[], options: RandomOptions & { gain?: number } = {}): tf.Tensor {
  const gain = check.nonNegative('xavierUniform', 'gain', options.gain ?? 1);
  const { fanIn, fanOut } = computeFans(shape);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniformTensor(shape, -bound, bound, options.rng);
}
