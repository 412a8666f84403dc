import { check } from '@nntk/core';
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
import { Optimizer, type OptimizerSpec, type ParamsInput } from './optimizer';

export interface NAdamOptions extends MomentOptions {
  momentumDecay: number;
}

const NADAM_SPEC: OptimizerSpec<NAdamOptions> = {
  name: 'NAdam',
  defaults: { lr: 2e-3, ...MOMENT_DEFAULTS, momentumDecay: 4e-3 },
  validate(owner, g) {
    validateMomentGroup(owner, g);
    check.nonNegative(owner, 'momentumDecay', g.momentumDecay);
  },
  initState: (param) => ({ step: 0, muProduct: 1, ...momentState(param, 'expAvg', 'expAvgSq') }),
  update({ param, grad, state, group: g, lr }) {
    const [beta1, beta2] = g.betas;
    const d = coupledGradient(param, grad, g);
    const step = nextStep(state);
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * g.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * g.momentumDecay));
    // PyTorch keeps the product as a float32 tensor; rounding it the same way keeps trajectories equal.
    const muProduct = Math.fround((state.muProduct as number) * mu);
    state.muProduct = muProduct;
    const muProductNext = Math.fround(Math.fround(muProduct * mu) * muNext);
    const expAvg = state.expAvg as tf.Variable;
    const expAvgSq = state.expAvgSq as tf.Variable;
    firstMoment(expAvg, d, beta1);
    secondMoment(expAvgSq, d, beta2);
    const denom = tf.add(tf.sqrt(tf.div(expAvgSq, biasCorrection(beta2, step))), g.eps);
    const afterGrad = tf.sub(param, tf.mul(tf.div(d, denom), (lr * (1 - mu)) / (1 - muProduct)));
    param.assign(tf.sub(afterGrad, tf.mul(tf.div(expAvg, denom), (lr * muNext) / (1 - muProductNext))));
  },
};

/**
 * NAdam, Adam with Nesterov momentum (Dozat 2016), PyTorch's formulation with the momentum schedule
 * `μₜ = β₁(1 − ½·0.96^(tψ))`:
 * `θ ← θ − γ(1−μₜ)/(1−Πμ) · g/d − γμₜ₊₁/(1−Πμ·μₜ₊₁) · m/d`, `d = √(v/(1−β₂ᵗ)) + ε`.
 * `maximize` is an nntk addition (PyTorch 1.13's NAdam has none).
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: ParamsInput<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, options, NADAM_SPEC);
  }
}
