import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from './errors';
import { checkFusedShapes } from './fused-checks';
import { check, checkOptions } from './validate';

/** Options of {@link softmaxCrossEntropy}. */
export interface SoftmaxCrossEntropyOptions {
  /** Labels equal to this (and labels outside [0, C)) are ignored: no loss, not counted. Default −100. */
  ignoreIndex?: number;
  /** `'mean'` over the counted rows (PyTorch's default) or `'sum'`. Default `'mean'`. */
  reduction?: 'mean' | 'sum';
}

/** log-softmax + NLL from tfjs ops, and its gradient: the op off backends with the fused kernel. */
function composed(logits: tf.Tensor2D, labels: tf.Tensor1D, ignoreIndex: number, mean: boolean) {
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const inRange = tf.logicalAnd(tf.greaterEqual(labels, 0), tf.less(labels, classes));
    const valid = tf.cast(tf.logicalAnd(inRange, tf.notEqual(labels, ignoreIndex)), 'float32');
    const oneHot = tf.mul(tf.oneHot(labels, classes), tf.expandDims(valid, 1));
    const divisor = mean ? tf.sum(valid) : tf.scalar(1);
    const loss = tf.div(tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)))), divisor);
    const grad = tf.div(tf.sub(tf.mul(tf.softmax(logits), tf.expandDims(valid, 1)), oneHot), divisor);
    return [loss, grad];
  });
}

/**
 * Softmax cross-entropy of logits `[N, C]` and int32 class labels `[N]`
 * (`torch.nn.functional.cross_entropy` without class weights or label smoothing):
 * `ℓ = Σ_i (log Σ_j e^{z_ij} − z_{i,y_i})`, divided by the number of counted rows for `'mean'`, as one op
 * whose forward also yields its gradient `(softmax(z_i) − onehot(y_i))` (per counted row, same divisor).
 * Where the backend registers `NntkSoftmaxCrossEntropy` (wasm) that is one pass over the logits in float64;
 * elsewhere tfjs ops with the same values. The backward is one multiply by the upstream gradient.
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  options: SoftmaxCrossEntropyOptions = {},
): tf.Scalar {
  const owner = 'softmaxCrossEntropy';
  checkOptions<SoftmaxCrossEntropyOptions>(owner, options, { ignoreIndex: true, reduction: true });
  const ignoreIndex = check.integer(
    owner,
    'ignoreIndex',
    options.ignoreIndex ?? -100,
    Number.MIN_SAFE_INTEGER,
  );
  const reduction = check.oneOf(owner, 'reduction', options.reduction ?? 'mean', ['mean', 'sum'] as const);
  checkFusedShapes(
    owner,
    logits.rank === 2 && labels.rank === 1 && labels.shape[0] === logits.shape[0],
    'logits [N, C] and labels [N]',
    [logits, labels],
  );
  if (labels.dtype !== 'int32')
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: labels must be int32 class indices, got ${labels.dtype}`,
    );
  const op = tf.customGrad((z: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const [value, grad] = tf.getKernel('NntkSoftmaxCrossEntropy', tf.getBackend())
      ? (tf.engine().runKernel(
          'NntkSoftmaxCrossEntropy',
          { logits: z as tf.Tensor, labels },
          {
            ignoreIndex,
            reduction,
          },
        ) as tf.Tensor[])
      : composed(z as tf.Tensor2D, labels, ignoreIndex, reduction === 'mean');
    (save as tf.GradSaveFunc)([grad]);
    return { value: value as tf.Scalar, gradFunc: (dy: tf.Tensor, [g]: tf.Tensor[]) => tf.mul(g, dy) };
  });
  return op(logits) as tf.Scalar;
}
