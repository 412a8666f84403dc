import { check, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Label smoothing (Szegedy et al. 2016): integer labels `[N]` (or one-hot/soft targets `[N, C]`) to soft
 * targets `(1 − ε)·y + ε/C`, the targets PyTorch's `cross_entropy(label_smoothing=ε)` uses.
 */
export function smoothLabels(y: tf.Tensor, options: { numClasses: number; smoothing: number }): tf.Tensor2D {
  const classes = check.integer('smoothLabels', 'numClasses', options?.numClasses, 1);
  const epsilon = check.inRange('smoothLabels', 'smoothing', options.smoothing, 0, 1, true);
  return tf.tidy(() => {
    const oneHot = y.dtype === 'int32' ? tf.oneHot(y.reshape([-1]) as tf.Tensor1D, classes).toFloat() : y;
    if (oneHot.rank !== 2 || oneHot.shape[1] !== classes) {
      throw new NntkError(
        'SHAPE_MISMATCH',
        `smoothLabels: expected int32 labels [N] or targets [N, ${classes}], got ${y.dtype} [${y.shape.join(', ')}]`,
      );
    }
    return tf.add(tf.mul(oneHot, 1 - epsilon), epsilon / classes) as tf.Tensor2D;
  });
}
