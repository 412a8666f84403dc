import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** A residual connection: `shortcut(x) + branch(x)` (shortcut: the identity unless given). */
export class Residual extends Module {
  constructor(
    readonly branch: Module,
    readonly shortcut?: Module,
  ) {
    super();
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() =>
      tf.add(
        this.shortcut ? (this.shortcut.forward(x) as tf.Tensor) : x,
        this.branch.forward(x) as tf.Tensor,
      ),
    );
  }
}
