import { check, NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { targetsOf, toLabels } from './internal/labels';

/**
 * The confusion matrix `m[true][predicted]` (scikit-learn's orientation: rows are true classes) from
 * labels or class scores (argmax).
 */
export function confusionMatrix(
  predictions: tf.Tensor | ArrayLike<number>,
  targets: tf.Tensor | ArrayLike<number>,
  numClasses: number,
): number[][] {
  check.integer('confusionMatrix', 'numClasses', numClasses, 1);
  const predicted = toLabels('confusionMatrix', predictions);
  const actual = targetsOf('confusionMatrix', targets, predicted.length);
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < predicted.length; i++) {
    const [t, p] = [actual[i], predicted[i]];
    if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
      throw new NntkError(
        'INVALID_OPTION',
        `confusionMatrix: label ${t < 0 || t >= numClasses ? t : p} is outside [0, ${numClasses})`,
      );
    }
    matrix[t][p] += 1;
  }
  return matrix;
}
