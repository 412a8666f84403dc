import { check } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { decayFactor, decoupledDecay } from './internal/decoupled-decay';
import { momentState, nextStep } from './internal/moment-options';
import { firstMoment } from './internal/moments';
import {
  type BaseOptimizerOptions,
  checkBetas,
  Optimizer,
  type OptimizerSpec,
  type ParamsInput,
} from './optimizer';

export interface LionOptions extends BaseOptimizerOptions {
  betas: [number, number];
  weightDecay: number;
  maximize: boolean;
}

const LION_SPEC: OptimizerSpec<LionOptions> = {
  name: 'Lion',
  defaults: { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false },
  validate(owner, g) {
    checkBetas(owner, g.betas);
    check.nonNegative(owner, 'weightDecay', g.weightDecay);
  },
  initState: (param) => momentState(param, 'expAvg'),
  prepare({ state, group: g, lr }) {
    nextStep(state);
    return { lr, decay: decayFactor(lr, g.weightDecay) };
  },
  update({ param, grad, state, group: g, scalars: s }) {
    const [beta1, beta2] = g.betas;
    const d = g.maximize ? tf.neg(grad) : grad;
    const expAvg = state.expAvg as tf.Variable;
    const direction = tf.sign(tf.add(tf.mul(expAvg, beta1), tf.mul(d, 1 - beta1)));
    decoupledDecay(param, s.decay);
    param.assign(tf.sub(param, tf.mul(direction, s.lr)));
    firstMoment(expAvg, d, beta2);
  },
};

/**
 * Lion, evolved sign momentum (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2): `c = β₁m + (1−β₁)g; θ ← θ(1 − γλ) − γ·sign(c); m ← β₂m + (1−β₂)g`.
 * Defaults follow the paper: `lr` 1e-4, `betas` [0.9, 0.99].
 */
export class Lion extends Optimizer<LionOptions> {
  constructor(params: ParamsInput<LionOptions>, options: Partial<LionOptions> = {}) {
    super(params, options, LION_SPEC);
  }
}
