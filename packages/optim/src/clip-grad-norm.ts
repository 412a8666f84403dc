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

/**
 * Clips gradients by their total norm, as `torch.nn.utils.clip_grad_norm_`: the norm of all gradients
 * together is `‖(‖g₁‖ₚ, …, ‖gₙ‖ₚ)‖ₚ`; when it exceeds `maxNorm` every gradient is scaled by
 * `maxNorm/(norm + 1e-6)`. Like PyTorch it works in place: the tensors in `grads` are replaced (the old
 * ones disposed). `grads` is a `Map` keyed by parameter (core's `valueAndGrads`), a tfjs `NamedTensorMap`
 * keyed by variable name (`tf.variableGrads(f).grads`), or either one's `{ grads }` result object; any
 * other form is an `INVALID_OPTION` NntkError. Returns the same container and the total norm before clipping.
 */
export function clipGradNorm(
  grads: Map<tf.Variable, tf.Tensor> | { grads: Map<tf.Variable, tf.Tensor> },
  maxNorm: number,
  options?: ClipGradNormOptions,
): { grads: Map<tf.Variable, tf.Tensor>; totalNorm: number };
export function clipGradNorm(
  grads: tf.NamedTensorMap | { grads: tf.NamedTensorMap },
  maxNorm: number,
  options?: ClipGradNormOptions,
): { grads: tf.NamedTensorMap; totalNorm: number };
export function clipGradNorm(
  gradsInput: GradientsInput,
  maxNorm: number,
  options: ClipGradNormOptions = {},
): { grads: GradientContainer; totalNorm: number } {
  const normType = options.normType ?? 2;
  if (!(maxNorm >= 0))
    throw new NntkError('INVALID_OPTION', `clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(normType > 0))
    throw new NntkError(
      'INVALID_OPTION',
      `clipGradNorm: option 'normType' must be > 0 or Infinity, got ${normType}`,
    );
  const grads = gradientContainer(gradsInput, 'clipGradNorm');
  const all = gradientTensors(grads);
  if (all.length === 0) return { grads, totalNorm: 0 };
  const totalTensor = tf.tidy(() => {
    if (normType === Infinity) return tf.max(tf.stack(all.map((g) => tf.max(tf.abs(g)))));
    return pNorm(tf.stack(all.map((g) => pNorm(g, normType))), normType);
  });
  const totalNorm = totalTensor.dataSync()[0];
  totalTensor.dispose();
  if (!Number.isFinite(totalNorm) && options.errorIfNonfinite) {
    throw new NntkError(
      'NON_FINITE_GRADIENT',
      `clipGradNorm: the total ${normType}-norm of the gradients is ${totalNorm}; set errorIfNonfinite: false to clip anyway`,
    );
  }
  const coefficient = Math.min(maxNorm / (totalNorm + 1e-6), 1);
  if (coefficient < 1) replaceGradients(grads, (g) => tf.mul(g, coefficient));
  return { grads, totalNorm };
}
