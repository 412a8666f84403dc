import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type GradientContainer,
  type GradientsInput,
  gradientContainer,
  gradientTensors,
  replaceGradients,
} from './internal/gradient-map';

export interface ClipGradNormOptions {
  /** The p of the p-norm; `Infinity` for the max norm. Default 2. */
  normType?: number;
  /** Throw when the total norm is NaN or infinite. Default false. */
  errorIfNonfinite?: boolean;
}

/** The p-norm of all elements (tf.norm supports only p = 1, 2 and ∞ for flattened tensors). */
function pNorm(x: tf.Tensor, p: number): tf.Tensor {
  if (p === 1 || p === 2) return tf.norm(x, p);
  return tf.pow(tf.sum(tf.pow(tf.abs(x), p)), 1 / p);
}

/** What `clipGradNorm` returns: the same container, clipped, and the total norm before clipping. */
export interface ClipGradNormResult<G extends GradientContainer> {
  grads: G;
  /**
   * The total norm before clipping, as a scalar tensor on the device (nothing is read back): the caller
   * owns it (dispose it), and reads it with `await totalNorm.data()` when it wants the number.
   */
  totalNorm: tf.Scalar;
}

/**
 * Clips gradients by their total norm, as `torch.nn.utils.clip_grad_norm_`: the norm of all gradients
 * together is `‖(‖g₁‖ₚ, …, ‖gₙ‖ₚ)‖ₚ`, and every gradient is multiplied by
 * `min(maxNorm/(norm + 1e-6), 1)`, computed on the device, so nothing is read back (a NaN or infinite norm
 * gives NaN or zero gradients, as in PyTorch). Like PyTorch it works in place: the tensors in `grads` are
 * replaced (the old ones disposed). `grads` is a `Map` keyed by parameter (core's `valueAndGrads`), a tfjs
 * `NamedTensorMap` keyed by variable name (`tf.variableGrads(f).grads`), or either one's `{ grads }`
 * result object; any other form is an `INVALID_OPTION` NntkError. Returns the same container and the total
 * norm as a scalar tensor the caller disposes.
 *
 * With `errorIfNonfinite: true` the norm must be read before anything is scaled, so the call returns a
 * Promise (one `await data()`), rejected with a `NON_FINITE_GRADIENT` NntkError for a NaN or infinite norm.
 */
export function clipGradNorm<G extends GradientContainer>(
  grads: G | { grads: G },
  maxNorm: number,
  options: ClipGradNormOptions & { errorIfNonfinite: true },
): Promise<ClipGradNormResult<G>>;
export function clipGradNorm<G extends GradientContainer>(
  grads: G | { grads: G },
  maxNorm: number,
  options?: ClipGradNormOptions & { errorIfNonfinite?: false },
): ClipGradNormResult<G>;
export function clipGradNorm<G extends GradientContainer>(
  grads: G | { grads: G },
  maxNorm: number,
  options?: ClipGradNormOptions,
): ClipGradNormResult<G> | Promise<ClipGradNormResult<G>>;
export function clipGradNorm(
  gradsInput: GradientsInput,
  maxNorm: number,
  options: ClipGradNormOptions = {},
): ClipGradNormResult<GradientContainer> | Promise<ClipGradNormResult<GradientContainer>> {
  const normType = options.normType ?? 2;
  if (!(maxNorm >= 0))
    throw new NntkError('INVALID_OPTION', `clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(normType > 0))
    throw new NntkError(
      'INVALID_OPTION',
      `clipGradNorm: option 'normType' must be > 0 or Infinity, got ${normType}`,
    );
  const grads = gradientContainer(gradsInput, 'clipGradNorm');
  const totalNorm = totalNormOf(gradientTensors(grads), normType);
  if (!options.errorIfNonfinite) {
    scaleBy(grads, totalNorm, maxNorm);
    return { grads, totalNorm };
  }
  return totalNorm.data().then(([value]) => {
    if (!Number.isFinite(value)) {
      totalNorm.dispose();
      throw new NntkError(
        'NON_FINITE_GRADIENT',
        `clipGradNorm: the total ${normType}-norm of the gradients is ${value}; set errorIfNonfinite: false to clip anyway`,
      );
    }
    scaleBy(grads, totalNorm, maxNorm);
    return { grads, totalNorm };
  });
}

function totalNormOf(all: tf.Tensor[], normType: number): tf.Scalar {
  if (all.length === 0) return tf.scalar(0);
  return tf.tidy(() => {
    if (normType === Infinity) return tf.max(tf.stack(all.map((g) => tf.max(tf.abs(g))))) as tf.Scalar;
    return pNorm(tf.stack(all.map((g) => pNorm(g, normType))), normType) as tf.Scalar;
  });
}

/** Multiplies every gradient by `min(maxNorm/(norm + 1e-6), 1)` on the device (PyTorch's clamped coefficient). */
function scaleBy(grads: GradientContainer, totalNorm: tf.Scalar, maxNorm: number): void {
  if (gradientTensors(grads).length === 0) return;
  const coefficient = tf.tidy(() => tf.minimum(tf.div(maxNorm, tf.add(totalNorm, 1e-6)), 1));
  replaceGradients(grads, (g) => tf.mul(g, coefficient));
  coefficient.dispose();
}
