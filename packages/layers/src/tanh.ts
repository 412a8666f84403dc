import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** The hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }
}
