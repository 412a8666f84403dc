import type * as tf from '@tensorflow/tfjs-core';
import { type AdamOptions, adamUpdate, initAdamState, validateAdamGroup } from './adam';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov and Hutter 2019), PyTorch's formulation:
 * `θ ← θ(1 − γλ)` before the Adam update, instead of adding `λθ` to the gradient. Default `weightDecay`
 * 0.01, as in PyTorch.
 */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 1e-2,
      amsgrad: false,
      maximize: false,
      ...options,
    });
  }

  protected validateGroup(g: ParamGroup<AdamOptions>): void {
    validateAdamGroup('AdamW', g);
  }

  protected initState(param: tf.Variable, g: ParamGroup<AdamOptions>): ParamState {
    return initAdamState(param, g);
  }

  protected update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    g: ParamGroup<AdamOptions>,
    lr: number,
  ): void {
    adamUpdate(param, grad, state, g, lr, true);
  }
}
