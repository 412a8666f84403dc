import * as tf from '@tensorflow/tfjs-core';
import { CellBase } from './internal/cell-base';
import { gruStep, inputProjection } from './internal/recurrent-steps';

/**
 * One GRU step (PyTorch's `nn.GRUCell`; the formulas of {@link GRU}): parameters `weightIh` `[in, 3H]`,
 * `weightHh` `[H, 3H]`, `biasIh`, `biasHh` `[3H]` (PyTorch's `weight_ih.T` etc.), gates r, z, n.
 */
export class GRUCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: { bias?: boolean } = {}) {
    super('GRUCell', 3, inputSize, hiddenSize, options);
  }

  /** `h'` from `x` `[N, inputSize]` and `h` (`[N, H]`; zeros when omitted). */
  forward(x: tf.Tensor, h?: tf.Tensor): tf.Tensor {
    this.checkInputs(x, [h]);
    return tf.tidy(() => {
      const xw = inputProjection(x as tf.Tensor2D, this, false);
      return gruStep(xw, h ?? tf.zeros([x.shape[0], this.hiddenSize]), this.weightHh, this.biasHh);
    });
  }
}
