import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import {
  MOMENT_DEFAULTS,
  type MomentOptions,
  momentState,
  nextStep,
  validateMomentGroup,
} from './internal/moment-options';
import { biasCorrection, firstMoment } from './internal/moments';
import { Optimizer, type OptimizerSpec, type ParamsInput } from './optimizer';

/** Adamax's options: the moment optimizers' `betas`, `eps`, `weightDecay`, `maximize`. */
export type AdamaxOptions = MomentOptions;

const ADAMAX_SPEC: OptimizerSpec<AdamaxOptions> = {
  name: 'Adamax',
  defaults: { lr: 2e-3, ...MOMENT_DEFAULTS },
  validate: validateMomentGroup,
  initState: (param) => momentState(param, 'expAvg', 'expInf'),
  update({ param, grad, state, group: g, lr }) {
    const [beta1, beta2] = g.betas;
    const d = coupledGradient(param, grad, g);
    const step = nextStep(state);
    const expAvg = state.expAvg as tf.Variable;
    const expInf = state.expInf as tf.Variable;
    firstMoment(expAvg, d, beta1);
    expInf.assign(tf.maximum(tf.mul(expInf, beta2), tf.add(tf.abs(d), g.eps)));
    const clr = lr / biasCorrection(beta1, step);
    param.assign(tf.sub(param, tf.mul(tf.div(expAvg, expInf), clr)));
  },
};

/**
 * Adamax, Adam with the infinity norm (Kingma and Ba 2015, section 7.1), PyTorch's formulation:
 * `m ← β₁m + (1−β₁)g; u ← max(β₂u, |g| + ε); θ ← θ − γ/(1−β₁ᵗ) · m/u`.
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsInput<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, options, ADAMAX_SPEC);
  }
}
