import { type AdamOptions, adamSpec } from './adam';
import { Optimizer, type ParamsInput } from './optimizer';

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov and Hutter 2019), PyTorch's formulation:
 * `θ ← θ(1 − γλ)` before the Adam update, instead of adding `λθ` to the gradient. Default `weightDecay`
 * 0.01, as in PyTorch.
 */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...options }, adamSpec('AdamW', true));
  }
}
