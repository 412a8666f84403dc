import type * as tf from '@tensorflow/tfjs-core';
import { type Average, scoreFromMatrix } from './classification-report';
import { confusionMatrix } from './confusion-matrix';

/**
 * Precision, `TP/(TP + FP)` per class, averaged (`'macro'` default, `'micro'`, `'weighted'`, or `'none'`
 * for per-class values), as scikit-learn's `precision_score` with `zero_division=0`: a class never
 * predicted or absent scores 0. Tensors are read with `await data()`.
 */
export async function precision(
  predictions: tf.Tensor | ArrayLike<number>,
  targets: tf.Tensor | ArrayLike<number>,
  options: { numClasses: number; average?: Average },
): Promise<number | number[]> {
  return scoreFromMatrix(
    'precision',
    await confusionMatrix(predictions, targets, options.numClasses),
    options.average ?? 'macro',
  );
}
