import { check } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { confusionCounts } from './internal/confusion-counts';
import { targetsOf, toLabels } from './internal/labels';

/**
 * The confusion matrix `m[true][predicted]` (scikit-learn's orientation: rows are true classes) from
 * labels or class scores (argmax). Tensors are read with `await data()`.
 */
export async function confusionMatrix(
  predictions: tf.Tensor | ArrayLike<number>,
  targets: tf.Tensor | ArrayLike<number>,
  numClasses: number,
): Promise<number[][]> {
  check.integer('confusionMatrix', 'numClasses', numClasses, 1);
  const predicted = await toLabels('confusionMatrix', predictions);
  const actual = await targetsOf('confusionMatrix', targets, predicted.length);
  return confusionCounts('confusionMatrix', predicted, actual, numClasses);
}
