import * as tf from '@tensorflow/tfjs-core';
import type { ParamGroup } from '../optimizer';
import { coupledGradient } from './coupled-gradient';

/**
 * Decoupled weight decay (Loshchilov and Hutter 2019): `θ ← θ(1 − γλ)`, applied to the weights directly
 * instead of adding `λθ` to the gradient (AdamW, Lion).
 */
export function decoupledDecay(param: tf.Variable, lr: number, weightDecay: number): void {
  param.assign(tf.mul(param, 1 - lr * weightDecay));
}

/**
 * The gradient an Adam-style update works with: with `decoupled`, the weights are decayed first
 * ({@link decoupledDecay}) and the gradient is only signed; otherwise the L2 term joins the gradient.
 */
export function decayedGradient(
  param: tf.Variable,
  grad: tf.Tensor,
  group: ParamGroup<{ maximize: boolean; weightDecay: number }>,
  lr: number,
  decoupled: boolean,
): tf.Tensor {
  if (!decoupled) return coupledGradient(param, grad, group);
  const d = coupledGradient(param, grad, { maximize: group.maximize, weightDecay: 0 });
  decoupledDecay(param, lr, group.weightDecay);
  return d;
}
