import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ParameterFilter, type ParametersInput, selectParameters } from './internal/select';

/** `coeff · Σ|w|` over the selected parameters, to add to a loss (inside the gradient function). */
export function l1Penalty(
  params: ParametersInput,
  coeff: number,
  options: { filter?: ParameterFilter } = {},
): tf.Scalar {
  check.nonNegative('l1Penalty', 'coeff', coeff);
  const selected = selectParameters(params, options.filter);
  return tf.tidy(() =>
    tf.mul(coeff, selected.length ? tf.addN(selected.map((p) => tf.sum(tf.abs(p)))) : tf.scalar(0)),
  ) as tf.Scalar;
}
