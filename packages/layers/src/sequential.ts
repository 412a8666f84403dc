import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { fusedForward } from './internal/fused-forward';

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

  /** Runs the layers in order; a Linear or Conv2d followed by a ReLU runs as one fused op where it can. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = x;
      for (let i = 0; i < this.layers.length; i++) {
        const fused = fusedForward([this.layers[i], this.layers[i + 1]], h);
        if (fused) i++;
        h = fused ?? (this.layers[i].forward(h) as tf.Tensor);
      }
      return h;
    });
  }
}
