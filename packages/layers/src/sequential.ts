import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** Runs modules in order; children are named `0`, `1`, … as in PyTorch's `nn.Sequential`. */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
  }

  override namedChildren(): [string, Module][] {
    return this.layers.map((m, i) => [String(i), m]);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.forward(h) as tf.Tensor, x));
  }
}
