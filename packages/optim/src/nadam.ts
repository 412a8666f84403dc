import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type MomentOptions, momentSpec, validateMomentGroup } from './internal/moment-options';
import { biasCorrection } from './internal/moments';
import { Optimizer, type OptimizerSpec, type ParamsInput } from './optimizer';

export interface NAdamOptions extends MomentOptions {
  momentumDecay: number;
}

const MOMENTS = momentSpec<NAdamOptions>(
  'NAdam',
  { lr: 2e-3, momentumDecay: 4e-3 },
  ['expAvg', 'expAvgSq'],
  ({ state, group: g, lr }, step) => {
    const beta1 = g.betas[0];
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * g.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * g.momentumDecay));
    // PyTorch keeps the product as a float32 tensor; rounding it the same way keeps trajectories equal.
    const muProduct = Math.fround((state.muProduct as number) * mu);
    state.muProduct = muProduct;
    const muProductNext = Math.fround(Math.fround(muProduct * mu) * muNext);
    return {
      bc2: biasCorrection(g.betas[1], step),
      gradStep: (lr * (1 - mu)) / (1 - muProduct),
      momentStep: (lr * muNext) / (1 - muProductNext),
    };
  },
  ({ param, group: g, scalars: s }, { d, expAvg, expAvgSq }) => {
    const denom = tf.add(tf.sqrt(tf.div(expAvgSq, s.bc2)), g.eps);
    const afterGrad = tf.sub(param, tf.mul(tf.div(d, denom), s.gradStep));
    param.assign(tf.sub(afterGrad, tf.mul(tf.div(expAvg, denom), s.momentStep)));
  },
);

const NADAM_SPEC: OptimizerSpec<NAdamOptions> = {
  ...MOMENTS,
  validate(owner, g) {
    validateMomentGroup(owner, g);
    check.nonNegative(owner, 'momentumDecay', g.momentumDecay);
  },
  initState: (param, g) => ({ step: 0, muProduct: 1, ...MOMENTS.initState(param, g) }),
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
