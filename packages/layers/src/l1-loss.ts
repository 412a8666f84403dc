import { checkOptions } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, expectSameShape, type Reduction, reduce } from './internal/reduce';

/** Mean absolute error `|x − y|`, reduced (`torch.nn.functional.l1_loss`). */
export function l1Loss(
  input: tf.Tensor,
  target: tf.Tensor,
  options: { reduction?: Reduction } = {},
): tf.Tensor {
  checkOptions('l1Loss', options, { reduction: true });
  const reduction = checkReduction('l1Loss', options.reduction ?? 'mean');
  expectSameShape('l1Loss', input, target);
  return tf.tidy(() => reduce(tf.abs(tf.sub(input, target)), reduction));
}
