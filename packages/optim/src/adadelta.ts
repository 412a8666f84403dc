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

export interface AdadeltaOptions extends BaseOptimizerOptions {
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * Adadelta (Zeiler 2012), PyTorch's formulation:
 * `v ← ρv + (1−ρ)g²; Δ = √(u+ε)/√(v+ε) · g; u ← ρu + (1−ρ)Δ²; θ ← θ − γΔ` (default `lr` 1.0).
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  override readonly name: string = 'Adadelta';
  constructor(params: ParamsInput<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false, ...options });
  }

  protected validateGroup(g: ParamGroup<AdadeltaOptions>): void {
    check.inRange('Adadelta', 'rho', g.rho, 0, 1, true);
    check.nonNegative('Adadelta', 'eps', g.eps);
    check.nonNegative('Adadelta', 'weightDecay', g.weightDecay);
  }

  protected initState(param: tf.Variable): ParamState {
    return { step: 0, squareAvg: stateVariable(param), accDelta: stateVariable(param) };
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<AdadeltaOptions>,
    lr: number,
  ): void {
    const d = coupledGradient(param, grad, g);
    nextStep(state);
    const squareAvg = state.squareAvg as tf.Variable;
    const accDelta = state.accDelta as tf.Variable;
    updateMovingAverage(squareAvg, tf.square(d), g.rho);
    const std = tf.sqrt(tf.add(squareAvg, g.eps));
    const delta = tf.mul(tf.div(tf.sqrt(tf.add(accDelta, g.eps)), std), d);
    updateMovingAverage(accDelta, tf.square(delta), g.rho);
    param.assign(tf.sub(param, tf.mul(delta, lr)));
  }
}
