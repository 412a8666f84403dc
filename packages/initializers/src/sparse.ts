import { check, getRng, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import type { RandomOptions } from './internal/draw';

/**
 * A sparse `[in, out]` matrix (Martens 2010), `torch.nn.init.sparse_`: N(0, std²) entries with
 * `⌈sparsity·out⌉` of the `out` weights of each input set to zero. (PyTorch zeroes entries of each column
 * of its `[out, in]` weight: the same weights, transposed.)
 */
export function sparse(
  shape: number[],
  options: RandomOptions & { sparsity: number; std?: number },
): tf.Tensor {
  if (shape.length !== 2)
    throw new NntkError(
      'INVALID_OPTION',
      `sparse: needs a 2-D [in, out] shape, got ${JSON.stringify(shape)}`,
    );
  const sparsity = check.inRange('sparse', 'sparsity', options?.sparsity, 0, 1, true);
  const std = check.nonNegative('sparse', 'std', options.std ?? 0.01);
  const [inputs, outputs] = shape;
  const rng = options.rng ?? getRng();
  const values = rng.normalArray(inputs * outputs, 0, std);
  const zerosPerInput = Math.ceil(sparsity * outputs);
  for (let i = 0; i < inputs; i++) {
    const order = rng.permutation(outputs);
    for (let k = 0; k < zerosPerInput; k++) values[i * outputs + order[k]] = 0;
  }
  return tf.tensor(values, shape, 'float32');
}
