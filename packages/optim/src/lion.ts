import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { nextStep } from './internal/moment-options';
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

export interface LionOptions extends BaseOptimizerOptions {
  betas: [number, number];
  weightDecay: number;
  maximize: boolean;
}

/**
 * Lion, evolved sign momentum (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2): `c = β₁m + (1−β₁)g; θ ← θ(1 − γλ) − γ·sign(c); m ← β₂m + (1−β₂)g`.
 * Defaults follow the paper: `lr` 1e-4, `betas` [0.9, 0.99].
 */
export class Lion extends Optimizer<LionOptions> {
  override readonly name: string = 'Lion';
  constructor(params: ParamsInput<LionOptions>, options: Partial<LionOptions> = {}) {
    super(params, { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false, ...options });
  }

  protected validateGroup(g: ParamGroup<LionOptions>): void {
    checkBetas('Lion', g.betas);
    check.nonNegative('Lion', 'weightDecay', g.weightDecay);
  }

  protected initState(param: tf.Variable): ParamState {
    return { step: 0, expAvg: stateVariable(param) };
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<LionOptions>,
    lr: number,
  ): void {
    const [beta1, beta2] = g.betas;
    const d = g.maximize ? tf.neg(grad) : grad;
    nextStep(state);
    const expAvg = state.expAvg as tf.Variable;
    const direction = tf.sign(tf.add(tf.mul(expAvg, beta1), tf.mul(d, 1 - beta1)));
    param.assign(tf.sub(tf.mul(param, 1 - lr * g.weightDecay), tf.mul(direction, lr)));
    updateMovingAverage(expAvg, d, beta2);
  }
}
