import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { type MomentOptions, nextStep, validateMomentGroup } from './internal/moment-options';
import { updateMovingAverage } from './internal/moving-average';
import { stateVariable } from './internal/state-variable';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

export interface NAdamOptions extends MomentOptions {
  momentumDecay: number;
}

/**
 * NAdam, Adam with Nesterov momentum (Dozat 2016), PyTorch's formulation with the momentum schedule
 * `μₜ = β₁(1 − ½·0.96^(tψ))`:
 * `θ ← θ − γ(1−μₜ)/(1−Πμ) · g/d − γμₜ₊₁/(1−Πμ·μₜ₊₁) · m/d`, `d = √(v/(1−β₂ᵗ)) + ε`.
 * `maximize` is an nntk addition (PyTorch 1.13's NAdam has none).
 */
export class NAdam extends Optimizer<NAdamOptions> {
  override readonly name: string = 'NAdam';
  constructor(params: ParamsInput<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, {
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      momentumDecay: 4e-3,
      maximize: false,
      ...options,
    });
  }

  protected validateGroup(g: ParamGroup<NAdamOptions>): void {
    validateMomentGroup('NAdam', g);
    check.nonNegative('NAdam', 'momentumDecay', g.momentumDecay);
  }

  protected initState(param: tf.Variable): ParamState {
    return { step: 0, muProduct: 1, expAvg: stateVariable(param), expAvgSq: stateVariable(param) };
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<NAdamOptions>,
    lr: number,
  ): void {
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
    updateMovingAverage(expAvg, d, beta1);
    updateMovingAverage(expAvgSq, tf.square(d), beta2);
    const denom = tf.add(tf.sqrt(tf.div(expAvgSq, 1 - beta2 ** step)), g.eps);
    const afterGrad = tf.sub(param, tf.mul(tf.div(d, denom), (lr * (1 - mu)) / (1 - muProduct)));
    param.assign(tf.sub(afterGrad, tf.mul(tf.div(expAvg, denom), (lr * muNext) / (1 - muProductNext))));
  }
}
