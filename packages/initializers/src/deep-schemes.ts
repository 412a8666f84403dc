import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The ReZero residual gate (Bachlechner et al. 2020): a scalar α, initialised to 0, that multiplies each
 * residual branch (`x + α·F(x)`), so every block starts as the identity.
 */
export function rezero(): tf.Tensor {
  return tf.scalar(0);
}

/**
 * Fixup's rescaling of a residual branch's weights (Zhang et al. 2019): with `numBranches` residual
 * branches of `layersPerBranch` layers, scale the standard initialisation of the branch's inner layers by
 * `L^(−1/(2m−2))`; its last layer starts at zero.
 */
export function fixupScale(numBranches: number, layersPerBranch = 2): number {
  const depth = check.integer('fixupScale', 'numBranches', numBranches, 1);
  const m = check.integer('fixupScale', 'layersPerBranch', layersPerBranch, 2);
  return depth ** (-1 / (2 * m - 2));
}
