import * as tf from '@tensorflow/tfjs-core';
import { type MomentOptions, nextStep, validateMomentGroup } from './internal/moment-options';
import { updateMovingAverage } from './internal/moving-average';
import { stateVariable } from './internal/state-variable';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

/** LAMB's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type LAMBOptions = MomentOptions;

/**
 * LAMB, layer-wise adaptive moments (You et al. 2020, "Large Batch Optimization for Deep Learning",
 * Algorithm 2, with bias correction): `r = m̂/(√v̂ + ε) + λθ; θ ← θ − γ·(‖θ‖/‖r‖)·r`, the trust ratio
 * taken as 1 when either norm is 0.
 */
export class LAMB extends Optimizer<LAMBOptions> {
  override readonly name: string = 'LAMB';
  constructor(params: ParamsInput<LAMBOptions>, options: Partial<LAMBOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-6, weightDecay: 0, maximize: false, ...options });
  }

  protected validateGroup(g: ParamGroup<LAMBOptions>): void {
    validateMomentGroup('LAMB', g);
  }

  protected initState(param: tf.Variable): ParamState {
    return { step: 0, expAvg: stateVariable(param), expAvgSq: stateVariable(param) };
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<LAMBOptions>,
    lr: number,
  ): void {
    const [beta1, beta2] = g.betas;
    const d = g.maximize ? tf.neg(grad) : grad;
    const step = nextStep(state);
    const expAvg = state.expAvg as tf.Variable;
    const expAvgSq = state.expAvgSq as tf.Variable;
    updateMovingAverage(expAvg, d, beta1);
    updateMovingAverage(expAvgSq, tf.square(d), beta2);
    const mHat = tf.div(expAvg, 1 - beta1 ** step);
    const vHat = tf.div(expAvgSq, 1 - beta2 ** step);
    let r = tf.div(mHat, tf.add(tf.sqrt(vHat), g.eps));
    if (g.weightDecay !== 0) r = tf.add(r, tf.mul(param, g.weightDecay));
    const weightNorm = tf.norm(param);
    const updateNorm = tf.norm(r);
    const usable = tf.logicalAnd(tf.greater(weightNorm, 0), tf.greater(updateNorm, 0));
    const trust = tf.where(
      usable,
      tf.div(weightNorm, tf.maximum(updateNorm, 1e-30)),
      tf.onesLike(weightNorm),
    );
    param.assign(tf.sub(param, tf.mul(r, tf.mul(trust, lr))));
  }
}
