import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** Softmax along `dim` (default the last axis). */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  forward(x: tf.Tensor): tf.Tensor {
    const axis = this.dim < 0 ? x.rank + this.dim : this.dim;
    if (axis === x.rank - 1) return tf.softmax(x);
    return tf.tidy(() => {
      const order = [...Array(x.rank).keys()];
      order[axis] = x.rank - 1;
      order[x.rank - 1] = axis;
      return tf.transpose(tf.softmax(tf.transpose(x, order)), order);
    });
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
