import { checkOptions, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, type Reduction } from './internal/reduce';

export interface NllLossOptions {
  /** A weight per class, `[C]`. */
  weight?: tf.Tensor;
  /** Targets equal to this are ignored (no loss, not counted in the mean). Default −100. */
  ignoreIndex?: number;
  reduction?: Reduction;
}

/** Flattens channels-last `[N, ..., C]` scores to `[M, C]` and `[N, ...]` targets to `[M]`, checking shapes. */
export function flattenClassInput(
  owner: string,
  scores: tf.Tensor,
  target: tf.Tensor,
): { scores2d: tf.Tensor2D; labels: tf.Tensor1D; classes: number } {
  const classes = scores.shape[scores.rank - 1];
  if (scores.rank < 2 || !tf.util.arraysEqual(scores.shape.slice(0, -1), target.shape)) {
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: expected class scores [N, ..., C] and integer targets [N, ...], got [${scores.shape.join(', ')}] and [${target.shape.join(', ')}]`,
    );
  }
  if (target.dtype !== 'int32')
    throw new NntkError('INVALID_OPTION', `${owner}: class-index targets must be int32, got ${target.dtype}`);
  return { scores2d: scores.reshape([-1, classes]), labels: target.reshape([-1]), classes };
}

/**
 * The per-sample negative log-likelihood and its weights (`w[y]`, 0 where ignored), from log-probabilities
 * `[M, C]` and labels `[M]`. One-hot products rather than a gather, so the gradient needs no scatter kernel.
 */
export function nllTerms(
  logProbs: tf.Tensor2D,
  labels: tf.Tensor1D,
  classes: number,
  weight: tf.Tensor | undefined,
  ignoreIndex: number,
) {
  const valid = tf.cast(tf.notEqual(labels, ignoreIndex), 'float32');
  // tf.oneHot gives an all-zero row for an out-of-range index (an ignored −100, say).
  const oneHot = tf.mul(tf.oneHot(labels, classes), tf.expandDims(valid, 1));
  const weighted = weight ? tf.mul(oneHot, weight) : oneHot;
  const losses = tf.neg(tf.sum(tf.mul(weighted, logProbs), 1));
  return { losses, sampleWeights: tf.sum(weighted, 1), valid };
}

/**
 * Negative log-likelihood of integer targets under log-probabilities (`torch.nn.functional.nll_loss`),
 * channels-last: `[N, C]` with `[N]`, or `[N, ..., C]` with `[N, ...]`. The weighted mean divides by the
 * summed weights of the targets, as PyTorch does.
 */
export function nllLoss(logProbs: tf.Tensor, target: tf.Tensor, options: NllLossOptions = {}): tf.Tensor {
  checkOptions<NllLossOptions>('nllLoss', options, { weight: true, ignoreIndex: true, reduction: true });
  const reduction = checkReduction('nllLoss', options.reduction ?? 'mean');
  return tf.tidy(() => {
    const { scores2d, labels, classes } = flattenClassInput('nllLoss', logProbs, target);
    const { losses, sampleWeights } = nllTerms(
      scores2d,
      labels,
      classes,
      options.weight,
      options.ignoreIndex ?? -100,
    );
    if (reduction === 'sum') return tf.sum(losses);
    if (reduction === 'mean') return tf.div(tf.sum(losses), tf.sum(sampleWeights));
    return losses.reshape(target.shape);
  });
}
