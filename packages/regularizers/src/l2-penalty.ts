import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ParameterFilter, type ParametersInput, selectParameters } from './internal/select';

/**
 * `coeff · ½ Σ w²` over the selected parameters. The ½ makes its gradient `coeff · w`, the same step as
 * an optimizer's `weightDecay: coeff` for SGD (Keras's `l2(coeff)` has no ½: pass twice the coefficient).
 */
export function l2Penalty(
  params: ParametersInput,
  coeff: number,
  options: { filter?: ParameterFilter } = {},
): tf.Scalar {
  check.nonNegative('l2Penalty', 'coeff', coeff);
  const selected = selectParameters(params, options.filter);
  return tf.tidy(() =>
    tf.mul(0.5 * coeff, selected.length ? tf.addN(selected.map((p) => tf.sum(tf.square(p)))) : tf.scalar(0)),
  ) as tf.Scalar;
}
