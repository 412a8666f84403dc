import { NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfc from '@tensorflow/tfjs-core';
import {
  type GradientContainer,
  type GradientsInput,
  gradientContainer,
  replaceGradients,
} from './internal/gradient-map';

/**
 * Clamps every gradient element to `[-clipValue, clipValue]`, as `torch.nn.utils.clip_grad_value_`,
 * in place (the tensors in `grads` are replaced and the old ones disposed). Accepts the same forms as
 * `clipGradNorm` (a `Map` by parameter, a tfjs `NamedTensorMap` by name, or a `{ grads }` result) and
 * returns the same container.
 */
export function clipGradValue(
  grads: Map<tf.Variable, tf.Tensor> | { grads: Map<tf.Variable, tf.Tensor> },
  clipValue: number,
): Map<tf.Variable, tf.Tensor>;
export function clipGradValue(
  grads: tf.NamedTensorMap | { grads: tf.NamedTensorMap },
  clipValue: number,
): tf.NamedTensorMap;
export function clipGradValue(gradsInput: GradientsInput, clipValue: number): GradientContainer {
  if (!(clipValue >= 0))
    throw new NntkError('INVALID_OPTION', `clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  const grads = gradientContainer(gradsInput, 'clipGradValue');
  replaceGradients(grads, (g) => tfc.clipByValue(g, -clipValue, clipValue));
  return grads;
}
