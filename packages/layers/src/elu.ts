import { check, Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** ELU (Clevert et al. 2016): `x` for x > 0, `α(eˣ − 1)` otherwise (any α, unlike `tf.elu`). */
export class ELU extends Module {
  readonly alpha: number;

  constructor(alpha = 1) {
    super();
    this.alpha = check.number('ELU', 'alpha', alpha);
  }

  forward(x: tf.Tensor): tf.Tensor {
    // exp of min(x, 0) keeps large positive inputs from overflowing (and their gradient finite).
    return tf.tidy(() => tf.add(tf.relu(x), tf.mul(this.alpha, tf.sub(tf.exp(tf.minimum(x, 0)), 1))));
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}
