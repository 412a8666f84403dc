import { checkOptions } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, expectSameShape, type Reduction, reduce } from './internal/reduce';

/** Mean squared error `(x − y)²`, reduced (`torch.nn.functional.mse_loss`). */
export function mseLoss(
  input: tf.Tensor,
  target: tf.Tensor,
  options: { reduction?: Reduction } = {},
): tf.Tensor {
  checkOptions('mseLoss', options, { reduction: true });
  const reduction = checkReduction('mseLoss', options.reduction ?? 'mean');
  expectSameShape('mseLoss', input, target);
  return tf.tidy(() => reduce(tf.squaredDifference(input, target), reduction));
}
