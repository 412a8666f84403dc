import { check, Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** `max(0, x) + negativeSlope·min(0, x)` (default slope 0.01, as PyTorch). */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = check.number('LeakyReLU', 'negativeSlope', negativeSlope);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}
