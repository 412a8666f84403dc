import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { nextStep } from './internal/moment-options';
import { stateVariable } from './internal/state-variable';
import { type BaseOptimizerOptions, Optimizer, type OptimizerSpec, type ParamsInput } from './optimizer';

export interface AdagradOptions extends BaseOptimizerOptions {
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

const ADAGRAD_SPEC: OptimizerSpec<AdagradOptions> = {
  name: 'Adagrad',
  defaults: { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false },
  validate(owner, g) {
    for (const key of ['lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'] as const)
      check.nonNegative(owner, key, g[key]);
  },
  initState: (param, g) => ({ step: 0, sum: stateVariable(param, g.initialAccumulatorValue) }),
  prepare({ state, group: g, lr }) {
    const step = nextStep(state);
    return { clr: lr / (1 + (step - 1) * g.lrDecay) };
  },
  update({ param, grad, state, group: g, scalars: s }) {
    const d = coupledGradient(param, grad, g);
    const sum = state.sum as tf.Variable;
    sum.assign(tf.add(sum, tf.square(d)));
    param.assign(tf.sub(param, tf.mul(tf.div(d, tf.add(tf.sqrt(sum), g.eps)), s.clr)));
  },
};

/**
 * Adagrad (Duchi et al. 2011), PyTorch's formulation:
 * `γₜ = γ/(1 + (t−1)η); s ← s + g²; θ ← θ − γₜ g/(√s + ε)`.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, options, ADAGRAD_SPEC);
  }
}
