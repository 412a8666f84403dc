import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** `max(0, x)`. */
export class ReLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
}
