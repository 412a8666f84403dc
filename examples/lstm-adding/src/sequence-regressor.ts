import { Module } from '@nntk/core';
import { GRU, Linear, LSTM } from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';

/** A recurrent layer read at its final state, then a linear head: `y = W · h_L + b`. */
export class SequenceRegressor extends Module {
  rnn: LSTM | GRU;
  head: Linear;

  constructor(cell: 'LSTM' | 'GRU', inputSize: number, hiddenSize: number) {
    super();
    this.rnn =
      cell === 'LSTM'
        ? new LSTM(inputSize, hiddenSize, { batchFirst: true })
        : new GRU(inputSize, hiddenSize, { batchFirst: true });
    this.head = new Linear(hiddenSize, 1);
  }

  /** `[N, L, inputSize]` → `[N, 1]`. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [, last] = this.rnn.forward(x);
      const h = Array.isArray(last) ? last[0] : last;
      return this.head.forward(h.squeeze([0]));
    });
  }
}
