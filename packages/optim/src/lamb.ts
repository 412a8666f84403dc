import * as tf from '@tensorflow/tfjs-core';
import {
  MOMENT_DEFAULTS,
  type MomentOptions,
  momentState,
  nextStep,
  validateMomentGroup,
} from './internal/moment-options';
import { biasCorrection, firstMoment, secondMoment } from './internal/moments';
import { trustRatio } from './internal/trust-ratio';
import { Optimizer, type OptimizerSpec, type ParamsInput } from './optimizer';

/** LAMB's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type LAMBOptions = MomentOptions;

const LAMB_SPEC: OptimizerSpec<LAMBOptions> = {
  name: 'LAMB',
  defaults: { lr: 1e-3, ...MOMENT_DEFAULTS, eps: 1e-6 },
  validate: validateMomentGroup,
  initState: (param) => momentState(param, 'expAvg', 'expAvgSq'),
  update({ param, grad, state, group: g, lr }) {
    const [beta1, beta2] = g.betas;
    const d = g.maximize ? tf.neg(grad) : grad;
    const step = nextStep(state);
    const expAvg = state.expAvg as tf.Variable;
    const expAvgSq = state.expAvgSq as tf.Variable;
    firstMoment(expAvg, d, beta1);
    secondMoment(expAvgSq, d, beta2);
    const mHat = tf.div(expAvg, biasCorrection(beta1, step));
    const vHat = tf.div(expAvgSq, biasCorrection(beta2, step));
    let r = tf.div(mHat, tf.add(tf.sqrt(vHat), g.eps));
    if (g.weightDecay !== 0) r = tf.add(r, tf.mul(param, g.weightDecay));
    param.assign(tf.sub(param, tf.mul(r, tf.mul(trustRatio(param, r), lr))));
  },
};

/**
 * LAMB, layer-wise adaptive moments (You et al. 2020, "Large Batch Optimization for Deep Learning",
 * Algorithm 2, with bias correction): `r = m̂/(√v̂ + ε) + λθ; θ ← θ − γ·(‖θ‖/‖r‖)·r`, the trust ratio
 * taken as 1 when either norm is 0.
 */
export class LAMB extends Optimizer<LAMBOptions> {
  constructor(params: ParamsInput<LAMBOptions>, options: Partial<LAMBOptions> = {}) {
    super(params, options, LAMB_SPEC);
  }
}
