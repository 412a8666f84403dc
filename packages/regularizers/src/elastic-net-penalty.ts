import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ParameterFilter, ParametersInput } from './internal/select';
import { l1Penalty } from './l1-penalty';
import { l2Penalty } from './l2-penalty';

/** Elastic net (Zou and Hastie 2005): `coeff · (l1Ratio · Σ|w| + (1 − l1Ratio) · ½ Σ w²)`. */
export function elasticNetPenalty(
  params: ParametersInput,
  coeff: number,
  options: { l1Ratio?: number; filter?: ParameterFilter } = {},
): tf.Scalar {
  const ratio = check.inRange('elasticNetPenalty', 'l1Ratio', options.l1Ratio ?? 0.5, 0, 1, true);
  const list = [...params] as ParametersInput;
  return tf.tidy(() =>
    tf.add(l1Penalty(list, coeff * ratio, options), l2Penalty(list, coeff * (1 - ratio), options)),
  ) as tf.Scalar;
}
