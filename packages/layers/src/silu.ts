import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** SiLU / swish (Elfwing et al. 2018): `x·σ(x)`. */
export class SiLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
  }
}
