import type * as tf from '@tensorflow/tfjs-core';
import { normalTensor, type RandomOptions } from './internal/draw';
import { type KaimingOptions, kaimingStd } from './internal/kaiming-std';

/** He/Kaiming normal, `torch.nn.init.kaiming_normal_`: N(0, std²), `std = gain/√fan`. */
export function kaimingNormal(shape: number[], options: RandomOptions & KaimingOptions = {}): tf.Tensor {
  return normalTensor(shape, 0, kaimingStd('kaimingNormal', shape, options), options.rng);
}
