import { check, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { coupledGradient } from './internal/coupled-gradient';
import { fusedSgdUpdate } from './internal/fused-sgd';
import {
  type BaseOptimizerOptions,
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
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

/**
 * Stochastic gradient descent with optional momentum (Sutskever et al. 2013) and Nesterov momentum,
 * PyTorch's formulation:
 * `g ← ∇ + λθ; b ← μb + (1 − τ)g (b₁ = g); g ← nesterov ? g + μb : b; θ ← θ − γg`.
 * `lr` is required, as in PyTorch.
 */
export class SGD extends Optimizer<SGDOptions> {
  override readonly name: string = 'SGD';
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> & { lr: SGDOptions['lr'] }) {
    if (options?.lr === undefined)
      throw new NntkError('INVALID_OPTION', "SGD: option 'lr' is required (PyTorch has no default either)");
    super(params, {
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
      fused: true,
      ...options,
    });
  }

  protected validateGroup(g: ParamGroup<SGDOptions>): void {
    check.nonNegative('SGD', 'momentum', g.momentum);
    check.number('SGD', 'dampening', g.dampening);
    check.nonNegative('SGD', 'weightDecay', g.weightDecay);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new NntkError(
        'INVALID_OPTION',
        `SGD: option 'nesterov' requires momentum > 0 and dampening = 0, got momentum ${g.momentum}, dampening ${g.dampening}`,
      );
    }
  }

  protected initState(): ParamState {
    return {};
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<SGDOptions>,
    lr: number,
  ): void {
    if (g.fused) {
      const buffer = fusedSgdUpdate(param, grad, state.momentumBuffer as tf.Variable | undefined, {
        ...g,
        lr,
      });
      if (buffer !== false) {
        if (buffer) state.momentumBuffer = buffer;
        return;
      }
    }
    let d = coupledGradient(param, grad, g);
    if (g.momentum !== 0) {
      const buffer = state.momentumBuffer as tf.Variable | undefined;
      if (!buffer) state.momentumBuffer = tf.variable(d, false);
      else buffer.assign(tf.add(tf.mul(buffer, g.momentum), tf.mul(d, 1 - g.dampening)));
      const b = state.momentumBuffer as tf.Variable;
      d = g.nesterov ? tf.add(d, tf.mul(b, g.momentum)) : b;
    }
    param.assign(tf.sub(param, tf.mul(d, lr)));
  }
}
