import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { type MomentOptions, nextStep, validateMomentGroup } from './internal/moment-options';
import { updateMovingAverage } from './internal/moving-average';
import { stateVariable } from './internal/state-variable';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

/** RAdam's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type RAdamOptions = MomentOptions;

/**
 * RAdam, rectified Adam (Liu et al. 2020), PyTorch's formulation: with `ρ∞ = 2/(1−β₂) − 1` and
 * `ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ)`, the step is `γ·m̂·r·√(1−β₂ᵗ)/(√v + ε)` when `ρₜ > 5`, else the
 * un-adapted `γ·m̂`, where `r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))`.
 * `maximize` is an nntk addition (PyTorch 1.13's RAdam has none).
 */
export class RAdam extends Optimizer<RAdamOptions> {
  override readonly name: string = 'RAdam';
  constructor(params: ParamsInput<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false, ...options });
  }

  protected validateGroup(g: ParamGroup<RAdamOptions>): void {
    validateMomentGroup('RAdam', g);
  }

  protected initState(param: tf.Variable): ParamState {
    return { step: 0, expAvg: stateVariable(param), expAvgSq: stateVariable(param) };
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<RAdamOptions>,
    lr: number,
  ): void {
    const [beta1, beta2] = g.betas;
    const d = coupledGradient(param, grad, g);
    const step = nextStep(state);
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    const expAvg = state.expAvg as tf.Variable;
    const expAvgSq = state.expAvgSq as tf.Variable;
    updateMovingAverage(expAvg, d, beta1);
    updateMovingAverage(expAvgSq, tf.square(d), beta2);
    const corrected = tf.div(expAvg, bc1);
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = tf.div(Math.sqrt(bc2), tf.add(tf.sqrt(expAvgSq), g.eps));
      param.assign(tf.sub(param, tf.mul(tf.mul(tf.mul(corrected, lr), adaptive), rect)));
    } else {
      param.assign(tf.sub(param, tf.mul(corrected, lr)));
    }
  }
}
