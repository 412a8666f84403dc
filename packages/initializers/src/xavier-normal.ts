import { check } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { computeFans } from './compute-fans';
import { normalTensor, type RandomOptions } from './internal/draw';

/** Glorot/Xavier normal, `torch.nn.init.xavier_normal_`: N(0, std²), `std = gain·√(2/(fanIn + fanOut))`. */
export function xavierNormal(shape: number[], options: RandomOptions & { gain?: number } = {}): tf.Tensor {
  const gain = check.nonNegative('xavierNormal', 'gain', options.gain ?? 1);
  const { fanIn, fanOut } = computeFans(shape);
  return normalTensor(shape, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options.rng);
}
