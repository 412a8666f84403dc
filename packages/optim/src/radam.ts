import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import {
  MOMENT_DEFAULTS,
  type MomentOptions,
  momentState,
  nextStep,
  validateMomentGroup,
} from './internal/moment-options';
import { biasCorrection, firstMoment, secondMoment } from './internal/moments';
import { rectification } from './internal/rectification';
import { Optimizer, type OptimizerSpec, type ParamsInput } from './optimizer';

/** RAdam's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type RAdamOptions = MomentOptions;

const RADAM_SPEC: OptimizerSpec<RAdamOptions> = {
  name: 'RAdam',
  defaults: { lr: 1e-3, ...MOMENT_DEFAULTS },
  validate: validateMomentGroup,
  initState: (param) => momentState(param, 'expAvg', 'expAvgSq'),
  update({ param, grad, state, group: g, lr }) {
    const [beta1, beta2] = g.betas;
    const d = coupledGradient(param, grad, g);
    const step = nextStep(state);
    const bc1 = biasCorrection(beta1, step);
    const bc2 = biasCorrection(beta2, step);
    const expAvg = state.expAvg as tf.Variable;
    const expAvgSq = state.expAvgSq as tf.Variable;
    firstMoment(expAvg, d, beta1);
    secondMoment(expAvgSq, d, beta2);
    const corrected = tf.div(expAvg, bc1);
    const rect = rectification(beta2, step, bc2);
    if (rect !== undefined) {
      const adaptive = tf.div(Math.sqrt(bc2), tf.add(tf.sqrt(expAvgSq), g.eps));
      param.assign(tf.sub(param, tf.mul(tf.mul(tf.mul(corrected, lr), adaptive), rect)));
    } else {
      param.assign(tf.sub(param, tf.mul(corrected, lr)));
    }
  },
};

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
