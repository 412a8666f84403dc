import { check, checkOptions, hasFusedKernels, NntkError, softmaxCrossEntropy } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, type Reduction } from './internal/reduce';
import { flattenClassInput, nllTerms } from './nll-loss';

export interface CrossEntropyOptions {
  weight?: tf.Tensor;
  ignoreIndex?: number;
  reduction?: Reduction;
  /** Mix the target with the uniform distribution: `(1 − ε)·target + ε/C` (Szegedy et al. 2016). */
  labelSmoothing?: number;
}

function probabilityTargets(
  logProbs: tf.Tensor2D,
  target: tf.Tensor2D,
  classes: number,
  options: CrossEntropyOptions,
  reduction: Reduction,
  shape: number[],
) {
  const smoothing = options.labelSmoothing ?? 0;
  const smoothed = smoothing > 0 ? tf.add(tf.mul(target, 1 - smoothing), smoothing / classes) : target;
  const weighted = options.weight ? tf.mul(logProbs, options.weight) : logProbs;
  const losses = tf.neg(tf.sum(tf.mul(weighted, smoothed), 1));
  if (reduction === 'sum') return tf.sum(losses);
  if (reduction === 'mean') return tf.div(tf.sum(losses), losses.shape[0]);
  return losses.reshape(shape);
}

function classTargets(
  logProbs: tf.Tensor2D,
  labels: tf.Tensor1D,
  classes: number,
  options: CrossEntropyOptions,
  reduction: Reduction,
  shape: number[],
) {
  const { losses, sampleWeights, valid } = nllTerms(
    logProbs,
    labels,
    classes,
    options.weight,
    options.ignoreIndex ?? -100,
  );
  const reduceNll = (terms: tf.Tensor) =>
    reduction === 'sum'
      ? tf.sum(terms)
      : reduction === 'mean'
        ? tf.div(tf.sum(terms), tf.sum(sampleWeights))
        : terms.reshape(shape);
  const smoothing = options.labelSmoothing ?? 0;
  if (smoothing === 0) return reduceNll(losses);
  // PyTorch: (1 − ε)·nll + ε/C · Σ_c −w_c log p_c, with the same reduction and normaliser.
  const weighted = options.weight ? tf.mul(logProbs, options.weight) : logProbs;
  const smoothTerms = tf.mul(tf.neg(tf.sum(weighted, 1)), valid);
  const combine = (a: tf.Tensor, b: tf.Tensor) =>
    tf.add(tf.mul(a, 1 - smoothing), tf.mul(b, smoothing / classes));
  if (reduction === 'mean' && !options.weight)
    return combine(reduceNll(losses), tf.div(tf.sum(smoothTerms), tf.sum(valid)));
  return combine(reduceNll(losses), reduceNll(smoothTerms));
}

/**
 * Cross-entropy of logits (`torch.nn.functional.cross_entropy`), computed with a stable log-softmax:
 * integer class targets (`int32`, `[N]` or `[N, ...]`) with `weight`, `ignoreIndex` and
 * `labelSmoothing`, or probability targets (one-hot or soft, same shape as the logits), channels-last.
 */
export function crossEntropy(
  logits: tf.Tensor,
  target: tf.Tensor,
  options: CrossEntropyOptions = {},
): tf.Tensor {
  checkOptions<CrossEntropyOptions>('crossEntropy', options, {
    weight: true,
    ignoreIndex: true,
    reduction: true,
    labelSmoothing: true,
  });
  const reduction = checkReduction('crossEntropy', options.reduction ?? 'mean');
  check.inRange('crossEntropy', 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1, true);
  return tf.tidy(() => {
    const classes = logits.shape[logits.rank - 1];
    if (target.dtype !== 'int32') {
      if (!tf.util.arraysEqual(logits.shape, target.shape)) {
        throw new NntkError(
          'SHAPE_MISMATCH',
          `crossEntropy: probability targets must have the logits' shape [${logits.shape.join(', ')}], got [${target.shape.join(', ')}] (pass int32 class indices otherwise)`,
        );
      }
      const logProbs = tf.logSoftmax(logits.reshape([-1, classes])) as tf.Tensor2D;
      return probabilityTargets(
        logProbs,
        target.reshape([-1, classes]),
        classes,
        options,
        reduction,
        logits.shape.slice(0, -1),
      );
    }
    const { scores2d, labels } = flattenClassInput('crossEntropy', logits, target);
    // One fused op (log-softmax, NLL and their gradient in one pass) where the backend has it.
    if (hasFusedKernels() && !options.weight && !options.labelSmoothing && reduction !== 'none')
      return softmaxCrossEntropy(scores2d, labels, { ignoreIndex: options.ignoreIndex ?? -100, reduction });
    return classTargets(
      tf.logSoftmax(scores2d) as tf.Tensor2D,
      labels,
      classes,
      options,
      reduction,
      target.shape,
    );
  });
}
