import { check, checkOptions, Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * GELU (Hendrycks and Gimpel 2016): exact `x·Φ(x) = x(1 + erf(x/√2))/2`, or with `approximate: 'tanh'`
 * `x(1 + tanh(√(2/π)(x + 0.044715x³)))/2`, as PyTorch's `nn.GELU`.
 */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor(options: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    checkOptions('GELU', options, { approximate: true });
    this.approximate = check.oneOf('GELU', 'approximate', options.approximate ?? 'none', ['none', 'tanh']);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const inner =
        this.approximate === 'tanh'
          ? tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))
          : tf.erf(tf.mul(x, Math.SQRT1_2));
      return tf.mul(tf.mul(x, 0.5), tf.add(inner, 1));
    });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}
