import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { fusedAdamUpdate } from './internal/fused-adam';
import { type MomentOptions, nextStep, validateMomentGroup } from './internal/moment-options';
import { updateMovingAverage } from './internal/moving-average';
import { stateVariable } from './internal/state-variable';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

export interface AdamOptions extends MomentOptions {
  amsgrad: boolean;
  /**
   * On the wasm backend, update each parameter in one pass over the wasm heap instead of ~15 kernels
   * (PyTorch's `fused`): a float32 WebAssembly SIMD kernel, or a float64 JavaScript loop where SIMD is
   * missing. Matches the reference path to float32 rounding. Default true; ignored elsewhere and with
   * `amsgrad`.
   */
  fused: boolean;
}

/**
 * Adam (Kingma and Ba 2015), PyTorch's formulation; `weightDecay` is an L2 term added to the gradient
 * (use {@link AdamW} for decoupled decay). `amsgrad` keeps the running maximum of the second moment
 * (Reddi et al. 2018): `m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − γ/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)`.
 */
export class Adam extends Optimizer<AdamOptions> {
  override readonly name: string = 'Adam';
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      fused: true,
      maximize: false,
      ...options,
    });
  }

  /** AdamW decays the weights directly instead of adding the L2 term to the gradient. */
  protected get decoupledWeightDecay(): boolean {
    return false;
  }

  protected validateGroup(g: ParamGroup<AdamOptions>): void {
    validateMomentGroup(this.constructor.name, g);
  }

  protected initState(param: tf.Variable, g: ParamGroup<AdamOptions>): ParamState {
    const state: ParamState = { step: 0, expAvg: stateVariable(param), expAvgSq: stateVariable(param) };
    if (g.amsgrad) state.maxExpAvgSq = stateVariable(param);
    return state;
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<AdamOptions>,
    lr: number,
  ): void {
    const [beta1, beta2] = g.betas;
    const step = nextStep(state);
    const expAvg = state.expAvg as tf.Variable;
    const expAvgSq = state.expAvgSq as tf.Variable;
    if (g.fused && !g.amsgrad) {
      const decoupled = this.decoupledWeightDecay;
      const { eps, weightDecay, maximize } = g;
      if (
        fusedAdamUpdate(param, grad, expAvg, expAvgSq, {
          lr,
          beta1,
          beta2,
          eps,
          weightDecay,
          decoupled,
          maximize,
          step,
        })
      )
        return;
    }
    let d: tf.Tensor;
    if (this.decoupledWeightDecay) {
      d = coupledGradient(param, grad, { maximize: g.maximize, weightDecay: 0 });
      param.assign(tf.mul(param, 1 - lr * g.weightDecay));
    } else {
      d = coupledGradient(param, grad, g);
    }
    updateMovingAverage(expAvg, d, beta1);
    updateMovingAverage(expAvgSq, tf.square(d), beta2);
    const stepSize = lr / (1 - beta1 ** step);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
    let second: tf.Tensor = expAvgSq;
    if (g.amsgrad) {
      const maxSq = state.maxExpAvgSq as tf.Variable;
      maxSq.assign(tf.maximum(maxSq, expAvgSq));
      second = maxSq;
    }
    const denom = tf.add(tf.div(tf.sqrt(second), bc2Sqrt), g.eps);
    param.assign(tf.sub(param, tf.mul(tf.div(expAvg, denom), stepSize)));
  }
}
