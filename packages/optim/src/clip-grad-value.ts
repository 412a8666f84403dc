import { NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfc from '@tensorflow/tfjs-core';
import { replaceGradients } from './clip-grad-norm';
import { type GradientsInput, toGradientMap } from './internal/gradient-map';

/**
 * Clamps every gradient element to `[-clipValue, clipValue]`, as `torch.nn.utils.clip_grad_value_`,
 * in place (the tensors in `grads` are replaced and the old ones disposed). Returns the map.
 */
export function clipGradValue(gradsInput: GradientsInput, clipValue: number): Map<tf.Variable, tf.Tensor> {
  if (!(clipValue >= 0))
    throw new NntkError('INVALID_OPTION', `clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  const grads = toGradientMap(gradsInput, []);
  replaceGradients(grads, (g) => tfc.clipByValue(g, -clipValue, clipValue));
  return grads;
}
