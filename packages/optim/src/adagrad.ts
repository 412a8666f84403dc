import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { nextStep } from './internal/moment-options';
import { stateVariable } from './internal/state-variable';
import {
  type BaseOptimizerOptions,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
} from './optimizer';

export interface AdagradOptions extends BaseOptimizerOptions {
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

/**
 * Adagrad (Duchi et al. 2011), PyTorch's formulation:
 * `γₜ = γ/(1 + (t−1)η); s ← s + g²; θ ← θ − γₜ g/(√s + ε)`.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  override readonly name: string = 'Adagrad';
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, {
      lr: 1e-2,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      maximize: false,
      ...options,
    });
  }

  protected validateGroup(g: ParamGroup<AdagradOptions>): void {
    check.nonNegative('Adagrad', 'lrDecay', g.lrDecay);
    check.nonNegative('Adagrad', 'weightDecay', g.weightDecay);
    check.nonNegative('Adagrad', 'initialAccumulatorValue', g.initialAccumulatorValue);
    check.nonNegative('Adagrad', 'eps', g.eps);
  }

  protected initState(param: tf.Variable, g: ParamGroup<AdagradOptions>): ParamState {
    return { step: 0, sum: stateVariable(param, g.initialAccumulatorValue) };
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<AdagradOptions>,
    lr: number,
  ): void {
    const d = coupledGradient(param, grad, g);
    const step = nextStep(state);
    const clr = lr / (1 + (step - 1) * g.lrDecay);
    const sum = state.sum as tf.Variable;
    sum.assign(tf.add(sum, tf.square(d)));
    param.assign(tf.sub(param, tf.mul(tf.div(d, tf.add(tf.sqrt(sum), g.eps)), clr)));
  }
}
