import * as tf from '@tensorflow/tfjs-core';
import { type MomentOptions, type MomentStep, momentSpec } from './internal/moment-options';
import { biasCorrection } from './internal/moments';
import { rectification } from './internal/rectification';
import { Optimizer, type ParamsInput, type UpdateContext } from './optimizer';

/** RAdam's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type RAdamOptions = MomentOptions;

function radamUpdate(
  { param, group: g, lr }: UpdateContext<RAdamOptions>,
  { beta1, beta2, step, expAvg, expAvgSq }: MomentStep,
): void {
  const bc1 = biasCorrection(beta1, step);
  const bc2 = biasCorrection(beta2, step);
  const corrected = tf.div(expAvg, bc1);
  const rect = rectification(beta2, step, bc2);
  if (rect !== undefined) {
    const adaptive = tf.div(Math.sqrt(bc2), tf.add(tf.sqrt(expAvgSq), g.eps));
    param.assign(tf.sub(param, tf.mul(tf.mul(tf.mul(corrected, lr), adaptive), rect)));
  } else {
    param.assign(tf.sub(param, tf.mul(corrected, lr)));
  }
}

const RADAM_SPEC = momentSpec<RAdamOptions>('RAdam', { lr: 1e-3 }, ['expAvg', 'expAvgSq'], radamUpdate);

/**
 * RAdam, rectified Adam (Liu et al. 2020), PyTorch's formulation: with `ρ∞ = 2/(1−β₂) − 1` and
 * `ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ)`, the step is `γ·m̂·r·√(1−β₂ᵗ)/(√v + ε)` when `ρₜ > 5`, else the
 * un-adapted `γ·m̂`, where `r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))`.
 * `maximize` is an nntk addition (PyTorch 1.13's RAdam has none).
 */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: ParamsInput<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, options, RADAM_SPEC);
  }
}
