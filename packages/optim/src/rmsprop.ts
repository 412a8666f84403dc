import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { momentState, nextStep } from './internal/moment-options';
import { firstMoment, secondMoment } from './internal/moments';
import { stateVariable } from './internal/state-variable';
import { type BaseOptimizerOptions, Optimizer, type OptimizerSpec, type ParamsInput } from './optimizer';

export interface RMSpropOptions extends BaseOptimizerOptions {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

const RMSPROP_SPEC: OptimizerSpec<RMSpropOptions> = {
  name: 'RMSprop',
  defaults: {
    lr: 1e-2,
    alpha: 0.99,
    eps: 1e-8,
    weightDecay: 0,
    momentum: 0,
    centered: false,
    maximize: false,
  },
  validate(owner, g) {
    for (const key of ['alpha', 'eps', 'weightDecay', 'momentum'] as const)
      check.nonNegative(owner, key, g[key]);
  },
  initState(param, g) {
    const state = momentState(param, 'squareAvg');
    if (g.momentum > 0) state.momentumBuffer = stateVariable(param);
    if (g.centered) state.gradAvg = stateVariable(param);
    return state;
  },
  prepare({ state, lr }) {
    nextStep(state);
    return { lr };
  },
  update({ param, grad, state, group: g, scalars: s }) {
    const d = coupledGradient(param, grad, g);
    const squareAvg = state.squareAvg as tf.Variable;
    secondMoment(squareAvg, d, g.alpha);
    let avg: tf.Tensor;
    if (g.centered) {
      const gradAvg = state.gradAvg as tf.Variable;
      firstMoment(gradAvg, d, g.alpha);
      avg = tf.sqrt(tf.sub(squareAvg, tf.square(gradAvg)));
    } else {
      avg = tf.sqrt(squareAvg);
    }
    avg = tf.add(avg, g.eps);
    if (g.momentum > 0) {
      const buffer = state.momentumBuffer as tf.Variable;
      buffer.assign(tf.add(tf.mul(buffer, g.momentum), tf.div(d, avg)));
      param.assign(tf.sub(param, tf.mul(buffer, s.lr)));
    } else {
      param.assign(tf.sub(param, tf.mul(tf.div(d, avg), s.lr)));
    }
  },
};

/**
 * RMSprop (Hinton, lecture 6e), PyTorch's formulation (ε outside the square root):
 * `v ← αv + (1−α)g²; a = √(v − ḡ²) if centered else √v; b ← μb + g/(a+ε); θ ← θ − γb`
 * (without momentum `θ ← θ − γg/(a+ε)`).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, options, RMSPROP_SPEC);
  }
}
