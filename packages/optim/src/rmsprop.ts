import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { nextStep } from './internal/moment-options';
import { updateMovingAverage } from './internal/moving-average';
import { stateVariable } from './internal/state-variable';
import {
  type BaseOptimizerOptions,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
} from './optimizer';

export interface RMSpropOptions extends BaseOptimizerOptions {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/**
 * RMSprop (Hinton, lecture 6e), PyTorch's formulation (ε outside the square root):
 * `v ← αv + (1−α)g²; a = √(v − ḡ²) if centered else √v; b ← μb + g/(a+ε); θ ← θ − γb`
 * (without momentum `θ ← θ − γg/(a+ε)`).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  override readonly name: string = 'RMSprop';
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
      ...options,
    });
  }

  protected validateGroup(g: ParamGroup<RMSpropOptions>): void {
    check.nonNegative('RMSprop', 'alpha', g.alpha);
    check.nonNegative('RMSprop', 'eps', g.eps);
    check.nonNegative('RMSprop', 'weightDecay', g.weightDecay);
    check.nonNegative('RMSprop', 'momentum', g.momentum);
  }

  protected initState(param: tf.Variable, g: ParamGroup<RMSpropOptions>): ParamState {
    const state: ParamState = { step: 0, squareAvg: stateVariable(param) };
    if (g.momentum > 0) state.momentumBuffer = stateVariable(param);
    if (g.centered) state.gradAvg = stateVariable(param);
    return state;
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<RMSpropOptions>,
    lr: number,
  ): void {
    const d = coupledGradient(param, grad, g);
    nextStep(state);
    const squareAvg = state.squareAvg as tf.Variable;
    updateMovingAverage(squareAvg, tf.square(d), g.alpha);
    let avg: tf.Tensor;
    if (g.centered) {
      const gradAvg = state.gradAvg as tf.Variable;
      updateMovingAverage(gradAvg, d, g.alpha);
      avg = tf.sqrt(tf.sub(squareAvg, tf.square(gradAvg)));
    } else {
      avg = tf.sqrt(squareAvg);
    }
    avg = tf.add(avg, g.eps);
    if (g.momentum > 0) {
      const buffer = state.momentumBuffer as tf.Variable;
      buffer.assign(tf.add(tf.mul(buffer, g.momentum), tf.div(d, avg)));
      param.assign(tf.sub(param, tf.mul(buffer, lr)));
    } else {
      param.assign(tf.sub(param, tf.mul(tf.div(d, avg), lr)));
    }
  }
}
