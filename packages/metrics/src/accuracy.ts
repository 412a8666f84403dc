import type * as tf from '@tensorflow/tfjs-core';
import { targetsOf, toLabels } from './internal/labels';

/**
 * The fraction of predictions (labels, or scores via argmax) equal to the targets. Tensors are read
 * with `await data()`.
 */
export async function accuracy(
  predictions: tf.Tensor | ArrayLike<number>,
  targets: tf.Tensor | ArrayLike<number>,
): Promise<number> {
  const predicted = await toLabels('accuracy', predictions);
  const actual = await targetsOf('accuracy', targets, predicted.length);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === actual[i]) correct++;
  return predicted.length === 0 ? 0 : correct / predicted.length;
}
