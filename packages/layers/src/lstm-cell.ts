import * as tf from '@tensorflow/tfjs-core';
import { CellBase } from './internal/cell-base';
import { inputProjection, lstmStep } from './internal/recurrent-steps';

/**
 * One LSTM step (PyTorch's `nn.LSTMCell`; the formulas of {@link LSTM}): parameters `weightIh` `[in, 4H]`,
 * `weightHh` `[H, 4H]`, `biasIh`, `biasHh` `[4H]` (PyTorch's `weight_ih.T` etc.), gates i, f, g, o.
 */
export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: { bias?: boolean } = {}) {
    super('LSTMCell', 4, inputSize, hiddenSize, options);
  }

  /** `[h', c']` from `x` `[N, inputSize]` and `[h, c]` (each `[N, H]`; zeros when omitted). */
  forward(x: tf.Tensor, state?: [tf.Tensor, tf.Tensor]): [tf.Tensor, tf.Tensor] {
    this.checkInputs(x, state ?? []);
    return tf.tidy(() => {
      const zeros = () => tf.zeros([x.shape[0], this.hiddenSize]);
      const xw = inputProjection(x as tf.Tensor2D, this, true);
      return lstmStep(xw, state?.[0] ?? zeros(), state?.[1] ?? zeros(), this.weightHh);
    });
  }
}
