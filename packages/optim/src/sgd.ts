import { check, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { stateVariable } from './internal/state-variable';
import {
  type BaseOptimizerOptions,
  Optimizer,
  type OptimizerSpec,
  type ParamsInput,
  type UpdateContext,
} from './optimizer';

export interface SGDOptions extends BaseOptimizerOptions {
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  /**
   * On the wasm backend, update each parameter in one pass over the wasm heap instead of a chain of
   * kernels (PyTorch's `fused`): a float32 WebAssembly SIMD kernel, or a float64 JavaScript loop where SIMD
   * is missing. Matches the reference path to float32 rounding. No effect on other backends. Default true.
   */
  fused: boolean;
}

function sgdUpdate({ param, grad, state, group: g, scalars: s }: UpdateContext<SGDOptions>): void {
  let d = coupledGradient(param, grad, g);
  if (g.momentum !== 0) {
    const buffer = state.momentumBuffer as tf.Variable | undefined;
    if (!buffer) state.momentumBuffer = tf.variable(d, false);
    else buffer.assign(tf.add(tf.mul(buffer, g.momentum), tf.mul(d, 1 - g.dampening)));
    const b = state.momentumBuffer as tf.Variable;
    d = g.nesterov ? tf.add(d, tf.mul(b, g.momentum)) : b;
  }
  param.assign(tf.sub(param, tf.mul(d, s.lr)));
}

const SGD_SPEC: OptimizerSpec<SGDOptions> = {
  name: 'SGD',
  defaults: { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, fused: true },
  validate(owner, g) {
    check.nonNegative(owner, 'momentum', g.momentum);
    check.number(owner, 'dampening', g.dampening);
    check.nonNegative(owner, 'weightDecay', g.weightDecay);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: option 'nesterov' requires momentum > 0 and dampening = 0, got momentum ${g.momentum}, dampening ${g.dampening}`,
      );
    }
  },
  // The momentum buffer is created at a parameter's first step, from its gradient (as in PyTorch).
  initState: () => ({}),
  prepare: ({ lr }) => ({ lr }),
  update: sgdUpdate,
  eagerReason: (state, g) =>
    g.momentum !== 0 && state.momentumBuffer === undefined
      ? 'the momentum buffer is created from the first gradient'
      : undefined,
  fused: {
    applies: () => true,
    update(updates, { param, grad, state, group: g, scalars }) {
      const first = g.momentum !== 0 && state.momentumBuffer === undefined;
      if (first) state.momentumBuffer = stateVariable(param); // filled by the update (first)
      const buffer = state.momentumBuffer as tf.Variable | undefined;
      const { momentum, dampening, weightDecay, nesterov, maximize } = g;
      const step = { lr: scalars.lr, momentum, dampening, weightDecay, nesterov, maximize, first };
      updates.sgd(param, grad, buffer, step);
    },
  },
};

/**
 * Stochastic gradient descent with optional momentum (Sutskever et al. 2013) and Nesterov momentum,
 * PyTorch's formulation:
 * `g ← ∇ + λθ; b ← μb + (1 − τ)g (b₁ = g); g ← nesterov ? g + μb : b; θ ← θ − γg`.
 * `lr` is required, as in PyTorch.
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> & { lr: SGDOptions['lr'] }) {
    if (options?.lr === undefined)
      throw new NntkError('INVALID_OPTION', "SGD: option 'lr' is required (PyTorch has no default either)");
    super(params, options, SGD_SPEC);
  }
}
