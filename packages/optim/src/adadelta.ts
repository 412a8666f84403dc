import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { momentState, nextStep } from './internal/moment-options';
import { secondMoment } from './internal/moments';
import { type BaseOptimizerOptions, Optimizer, type OptimizerSpec, type ParamsInput } from './optimizer';

export interface AdadeltaOptions extends BaseOptimizerOptions {
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

const ADADELTA_SPEC: OptimizerSpec<AdadeltaOptions> = {
  name: 'Adadelta',
  defaults: { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false },
  validate(owner, g) {
    check.inRange(owner, 'rho', g.rho, 0, 1, true);
    check.nonNegative(owner, 'eps', g.eps);
    check.nonNegative(owner, 'weightDecay', g.weightDecay);
  },
  initState: (param) => momentState(param, 'squareAvg', 'accDelta'),
  prepare({ state, lr }) {
    nextStep(state);
    return { lr };
  },
  update({ param, grad, state, group: g, scalars: s }) {
    const d = coupledGradient(param, grad, g);
    const squareAvg = state.squareAvg as tf.Variable;
    const accDelta = state.accDelta as tf.Variable;
    secondMoment(squareAvg, d, g.rho);
    const std = tf.sqrt(tf.add(squareAvg, g.eps));
    const delta = tf.mul(tf.div(tf.sqrt(tf.add(accDelta, g.eps)), std), d);
    secondMoment(accDelta, delta, g.rho);
    param.assign(tf.sub(param, tf.mul(delta, s.lr)));
  },
};

/**
 * Adadelta (Zeiler 2012), PyTorch's formulation:
 * `v ← ρv + (1−ρ)g²; Δ = √(u+ε)/√(v+ε) · g; u ← ρu + (1−ρ)Δ²; θ ← θ − γΔ` (default `lr` 1.0).
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsInput<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, options, ADADELTA_SPEC);
  }
}
