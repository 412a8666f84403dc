import * as tf from '@tensorflow/tfjs-core';
import { type MomentOptions, type MomentStep, momentSpec } from './internal/moment-options';
import { biasCorrection } from './internal/moments';
import { rectification } from './internal/rectification';
import { type HostContext, Optimizer, type ParamsInput, type UpdateContext } from './optimizer';

/** RAdam's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type RAdamOptions = MomentOptions;

/** RAdam's host side: the bias corrections, and the rectification once the variance is tractable. */
function radamPrepare({ group: g, lr }: HostContext<RAdamOptions>, step: number): Record<string, number> {
  const [beta1, beta2] = g.betas;
  const bc2 = biasCorrection(beta2, step);
  const rect = rectification(beta2, step, bc2);
  const scalars = { bc1: biasCorrection(beta1, step), lr };
  return rect === undefined ? scalars : { ...scalars, bc2Sqrt: Math.sqrt(bc2), rect };
}

function radamUpdate(
  { param, group: g, scalars: s }: UpdateContext<RAdamOptions>,
  { expAvg, expAvgSq }: MomentStep,
): void {
  const corrected = tf.div(expAvg, s.bc1);
  if (s.rect !== undefined) {
    const adaptive = tf.div(s.bc2Sqrt, tf.add(tf.sqrt(expAvgSq), g.eps));
    param.assign(tf.sub(param, tf.mul(tf.mul(tf.mul(corrected, s.lr), adaptive), s.rect)));
  } else {
    param.assign(tf.sub(param, tf.mul(corrected, s.lr)));
  }
}

const RADAM_SPEC = momentSpec<RAdamOptions>(
  'RAdam',
  { lr: 1e-3 },
  ['expAvg', 'expAvgSq'],
  radamPrepare,
  radamUpdate,
);

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
