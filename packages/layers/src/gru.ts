import type * as tf from '@tensorflow/tfjs-core';
import { RecurrentBase, type RecurrentOptions } from './internal/recurrent-base';

export type GRUOptions = RecurrentOptions;

/**
 * Gated recurrent unit (Cho et al. 2014), PyTorch's `nn.GRU`, per layer and time step, with the reset
 * gate applied to the hidden projection (after `W_hn`, including its bias `b_hn`), as PyTorch and cuDNN do:
 *
 *     r = σ(x W_ir + b_ir + h W_hr + b_hr)    z = σ(x W_iz + b_iz + h W_hz + b_hz)
 *     n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))
 *     h' = (1 − z) ⊙ n + z ⊙ h
 *
 * Parameters `weightIh_l{k}` `[in, 3H]`, `weightHh_l{k}` `[H, 3H]`, `biasIh_l{k}`, `biasHh_l{k}` `[3H]`
 * (`…_reverse` for the backward direction), gate blocks in PyTorch's order r, z, n; the weights are
 * PyTorch's transposed, the biases equal. Input `[L, N, inputSize]` (`[N, L, inputSize]` with
 * `batchFirst`, or `[L, inputSize]` unbatched).
 */
export class GRU extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: GRUOptions = {}) {
    super('GRU', inputSize, hiddenSize, options);
  }

  /**
   * Runs the sequence from `h0` (`[numLayers·directions, N, H]`; zeros when omitted) and returns
   * `[output, hN]` as PyTorch: the last layer's `h` at every step and the final state of every layer and
   * direction.
   */
  forward(x: tf.Tensor, h0?: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const { output, h } = this.recur(x, h0);
    return [output, h];
  }
}
