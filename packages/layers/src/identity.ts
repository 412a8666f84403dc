import { Module } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Returns its input (as a new tensor handle, so callers may dispose input and output independently). */
export class Identity extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return x.clone();
  }
}
