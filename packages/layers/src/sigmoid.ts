import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** `1/(1 + e⁻ˣ)`. */
export class Sigmoid extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }
}
