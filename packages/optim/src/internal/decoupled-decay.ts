import * as tf from '@tensorflow/tfjs-core';
import type { ParamGroup } from '../optimizer';
import { coupledGradient } from './coupled-gradient';

/** The host side of decoupled weight decay: the factor `1 − γλ` (fed to {@link decoupledDecay}). */
export function decayFactor(lr: number, weightDecay: number): number {
  return 1 - lr * weightDecay;
}

/**
 * Decoupled weight decay (Loshchilov and Hutter 2019): `θ ← θ(1 − γλ)`, applied to the weights directly
 * instead of adding `λθ` to the gradient (AdamW, Lion); `factor` is {@link decayFactor}'s `1 − γλ`.
 */
export function decoupledDecay(param: tf.Variable, factor: tf.Scalar): void {
  param.assign(tf.mul(param, factor));
}

/**
 * The gradient an Adam-style update works with: with `decoupled`, the weights are decayed first
 * ({@link decoupledDecay} by `factor`) and the gradient is only signed; otherwise (no `factor`) the L2
 * term joins the gradient.
 */
export function decayedGradient(
  param: tf.Variable,
  grad: tf.Tensor,
  group: ParamGroup<{ maximize: boolean; weightDecay: number }>,
  factor: tf.Scalar | undefined,
): tf.Tensor {
  if (!factor) return coupledGradient(param, grad, group);
  const d = coupledGradient(param, grad, { maximize: group.maximize, weightDecay: 0 });
  decoupledDecay(param, factor);
  return d;
}
