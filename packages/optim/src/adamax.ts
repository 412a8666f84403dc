import * as tf from '@tensorflow/tfjs-core';
import { type MomentOptions, type MomentStep, momentSpec } from './internal/moment-options';
import { biasCorrection } from './internal/moments';
import { Optimizer, type ParamsInput, type UpdateContext } from './optimizer';

/** Adamax's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type AdamaxOptions = MomentOptions;

function adamaxUpdate(
  { param, state, group: g, scalars: s }: UpdateContext<AdamaxOptions>,
  { beta2, d, expAvg }: MomentStep,
): void {
  const expInf = state.expInf as tf.Variable;
  expInf.assign(tf.maximum(tf.mul(expInf, beta2), tf.add(tf.abs(d), g.eps)));
  param.assign(tf.sub(param, tf.mul(tf.div(expAvg, expInf), s.clr)));
}

const ADAMAX_SPEC = momentSpec<AdamaxOptions>(
  'Adamax',
  { lr: 2e-3 },
  ['expAvg', 'expInf'],
  ({ group: g, lr }, step) => ({ clr: lr / biasCorrection(g.betas[0], step) }),
  adamaxUpdate,
);

/**
 * Adamax, Adam with the infinity norm (Kingma and Ba 2015, section 7.1), PyTorch's formulation:
 * `m ← β₁m + (1−β₁)g; u ← max(β₂u, |g| + ε); θ ← θ − γ/(1−β₁ᵗ) · m/u`.
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsInput<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, options, ADAMAX_SPEC);
  }
}
