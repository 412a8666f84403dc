import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { type MomentOptions, nextStep, validateMomentGroup } from './internal/moment-options';
import { updateMovingAverage } from './internal/moving-average';
import { stateVariable } from './internal/state-variable';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

/** Adamax's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type AdamaxOptions = MomentOptions;

/**
 * Adamax, Adam with the infinity norm (Kingma and Ba 2015, section 7.1), PyTorch's formulation:
 * `m ← β₁m + (1−β₁)g; u ← max(β₂u, |g| + ε); θ ← θ − γ/(1−β₁ᵗ) · m/u`.
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  override readonly name: string = 'Adamax';
  constructor(params: ParamsInput<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false, ...options });
  }

  protected validateGroup(g: ParamGroup<AdamaxOptions>): void {
    validateMomentGroup('Adamax', g);
  }

  protected initState(param: tf.Variable): ParamState {
    return { step: 0, expAvg: stateVariable(param), expInf: stateVariable(param) };
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<AdamaxOptions>,
    lr: number,
  ): void {
    const [beta1, beta2] = g.betas;
    const d = coupledGradient(param, grad, g);
    const step = nextStep(state);
    const expAvg = state.expAvg as tf.Variable;
    const expInf = state.expInf as tf.Variable;
    updateMovingAverage(expAvg, d, beta1);
    expInf.assign(tf.maximum(tf.mul(expInf, beta2), tf.add(tf.abs(d), g.eps)));
    const clr = lr / (1 - beta1 ** step);
    param.assign(tf.sub(param, tf.mul(tf.div(expAvg, expInf), clr)));
  }
}
