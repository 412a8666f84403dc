import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { updateMovingAverage } from './internal/moving-average';
import { stateVariable } from './internal/state-variable';
import {
  type BaseOptimizerOptions,
  checkBetas,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
} from './optimizer';

export interface AdamOptions extends BaseOptimizerOptions {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/** Adam's update, shared with AdamW (which only changes how weight decay is applied). */
export function adamUpdate(
  param: tf.Variable,
  grad: tf.Tensor,
  state: ParamState,
  g: ParamGroup<AdamOptions>,
  lr: number,
  decoupled: boolean,
): void {
  const [beta1, beta2] = g.betas;
  let d = g.maximize ? tf.neg(grad) : grad;
  const step = (state.step as number) + 1;
  state.step = step;
  if (decoupled) param.assign(tf.mul(param, 1 - lr * g.weightDecay));
  else if (g.weightDecay !== 0) d = tf.add(d, tf.mul(param, g.weightDecay));
  const expAvg = state.expAvg as tf.Variable;
  const expAvgSq = state.expAvgSq as tf.Variable;
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

export function validateAdamGroup(owner: string, g: ParamGroup<AdamOptions>): void {
  checkBetas(owner, g.betas);
  check.nonNegative(owner, 'eps', g.eps);
  check.nonNegative(owner, 'weightDecay', g.weightDecay);
}

export function initAdamState(param: tf.Variable, g: ParamGroup<AdamOptions>): ParamState {
  const state: ParamState = { step: 0, expAvg: stateVariable(param), expAvgSq: stateVariable(param) };
  if (g.amsgrad) state.maxExpAvgSq = stateVariable(param);
  return state;
}

/**
 * Adam (Kingma and Ba 2015), PyTorch's formulation; `weightDecay` is an L2 term added to the gradient
 * (use {@link AdamW} for decoupled decay). `amsgrad` keeps the running maximum of the second moment
 * (Reddi et al. 2018): `m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − γ/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)`.
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      maximize: false,
      ...options,
    });
  }

  protected validateGroup(g: ParamGroup<AdamOptions>): void {
    validateAdamGroup('Adam', g);
  }

  protected initState(param: tf.Variable, g: ParamGroup<AdamOptions>): ParamState {
    return initAdamState(param, g);
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<AdamOptions>,
    lr: number,
  ): void {
    adamUpdate(param, grad, state, g, lr, false);
  }
}
