import * as tf from '@tensorflow/tfjs-core';
import { type MomentOptions, momentSpec } from './internal/moment-options';
import { biasCorrection } from './internal/moments';
import { trustRatio } from './internal/trust-ratio';
import { Optimizer, type ParamsInput } from './optimizer';

/** LAMB's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type LAMBOptions = MomentOptions;

const LAMB_SPEC = momentSpec<LAMBOptions>(
  'LAMB',
  { lr: 1e-3, eps: 1e-6 },
  ['expAvg', 'expAvgSq'],
  ({ group: g, lr }, step) => ({
    bc1: biasCorrection(g.betas[0], step),
    bc2: biasCorrection(g.betas[1], step),
    lr,
  }),
  ({ param, group: g, scalars: s }, { expAvg, expAvgSq }) => {
    const mHat = tf.div(expAvg, s.bc1);
    const vHat = tf.div(expAvgSq, s.bc2);
    let r = tf.div(mHat, tf.add(tf.sqrt(vHat), g.eps));
    if (g.weightDecay !== 0) r = tf.add(r, tf.mul(param, g.weightDecay));
    param.assign(tf.sub(param, tf.mul(r, tf.mul(trustRatio(param, r), s.lr))));
  },
  // The decay joins the update r, not the gradient (LAMB's Algorithm 2).
  ({ grad, group: g }) => (g.maximize ? tf.neg(grad) : grad),
);

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
