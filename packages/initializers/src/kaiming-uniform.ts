import type * as tf from '@tensorflow/tfjs-core';
import { type RandomOptions, uniformTensor } from './internal/draw';
import { type KaimingOptions, kaimingStd } from './internal/kaiming-std';

/**
 * He/Kaiming uniform (He et al. 2015), `torch.nn.init.kaiming_uniform_`: U(−b, b) with
 * `b = gain·√(3/fan)`, `gain = calculateGain(nonlinearity, a)`. PyTorch's `Linear` and `Conv2d` default
 * initialisation is this with `a = √5`.
 */
export function kaimingUniform(shape: number[], options: RandomOptions & KaimingOptions = {}): tf.Tensor {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform', shape, options);
  return uniformTensor(shape, -bound, bound, options.rng);
}
