import type * as tf from '@tensorflow/tfjs-core';
import { RecurrentBase, type RecurrentOptions } from './internal/recurrent-base';

export type LSTMOptions = RecurrentOptions;

/**
 * Long short-term memory (Hochreiter and Schmidhuber 1997; the forget gate of Gers et al. 2000), PyTorch's
 * `nn.LSTM`, per layer and time step:
 *
 *     i = σ(x W_ii + b_ii + h W_hi + b_hi)    f = σ(x W_if + b_if + h W_hf + b_hf)
 *     g = tanh(x W_ig + b_ig + h W_hg + b_hg) o = σ(x W_io + b_io + h W_ho + b_ho)
 *     c' = f ⊙ c + i ⊙ g                      h' = o ⊙ tanh(c')
 *
 * Parameters `weightIh_l{k}` `[in, 4H]`, `weightHh_l{k}` `[H, 4H]`, `biasIh_l{k}`, `biasHh_l{k}` `[4H]`
 * (`…_reverse` for the backward direction), gate blocks in PyTorch's order i, f, g, o along the last axis;
 * the weights are PyTorch's `weight_ih_l{k}` / `weight_hh_l{k}` transposed, the biases equal. Input
 * `[L, N, inputSize]` (`[N, L, inputSize]` with `batchFirst`, or `[L, inputSize]` unbatched).
 */
export class LSTM extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options);
  }

  /**
   * Runs the sequence from `[h0, c0]` (each `[numLayers·directions, N, H]`; zeros when omitted) and returns
   * `[output, [hN, cN]]` as PyTorch: `output` holds the last layer's `h` at every step (`[L, N, directions·H]`,
   * the directions concatenated), `hN`/`cN` the final states of every layer and direction.
   */
  forward(x: tf.Tensor, state?: [tf.Tensor, tf.Tensor]): [tf.Tensor, [tf.Tensor, tf.Tensor]] {
    const { output, h, c } = this.recur(x, state?.[0], state?.[1]);
    return [output, [h, c as tf.Tensor]];
  }
}
