import { invalidOption } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { type RandomOptions, uniformTensor } from './internal/draw';

/** Values from U(a, b) (`torch.nn.init.uniform_`, defaults a = 0, b = 1). */
export function uniform(
  shape: number[],
  options: RandomOptions & { a?: number; b?: number } = {},
): tf.Tensor {
  const a = options.a ?? 0;
  const b = options.b ?? 1;
  if (!(b >= a)) invalidOption('uniform', 'b', b, `a number >= a (${a})`);
  return uniformTensor(shape, a, b, options.rng);
}
