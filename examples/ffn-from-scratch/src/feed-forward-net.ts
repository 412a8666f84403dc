import { Module } from '@nntk/core';
import { kaimingNormal, normal, xavierUniform } from '@nntk/initializers';
import { Flatten, Linear, ReLU, Sigmoid, Tanh } from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';

export type Activation = 'relu' | 'sigmoid' | 'tanh';
export type Init = 'random' | 'xavier' | 'he';

export interface FeedForwardNetOptions {
  sizes: number[];
  activation: Activation;
  init: Init;
}

const ACTIVATIONS = { relu: () => new ReLU(), sigmoid: () => new Sigmoid(), tanh: () => new Tanh() };

/**
 * A configurable feed-forward net built from nntk's layers: Flatten, then Linear + activation per hidden
 * layer, and a Linear producing logits. `init` re-initialises every weight: `'random'` N(0, 0.01²) (the
 * naive choice), `'xavier'` (Glorot and Bengio 2010, uniform) or `'he'` (He et al. 2015, normal, fan-in);
 * biases start at zero.
 */
export class FeedForwardNet extends Module {
  flatten = new Flatten();
  linears: Linear[];
  activations: Module[];

  constructor(options: FeedForwardNetOptions) {
    super();
    const { sizes, activation, init } = options;
    this.linears = sizes.slice(1).map((out, i) => new Linear(sizes[i], out));
    this.activations = this.linears.slice(0, -1).map(() => ACTIVATIONS[activation]());
    for (const linear of this.linears) {
      tf.tidy(() => {
        const shape = linear.weight.shape;
        const weight =
          init === 'random'
            ? normal(shape, { std: 0.01 })
            : init === 'xavier'
              ? xavierUniform(shape)
              : kaimingNormal(shape, { nonlinearity: activation === 'relu' ? 'relu' : 'tanh' });
        linear.weight.assign(weight);
        linear.bias?.assign(tf.zerosLike(linear.bias));
      });
    }
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = this.flatten.forward(x);
      this.linears.forEach((linear, i) => {
        h = linear.forward(h);
        if (i < this.activations.length) h = this.activations[i].forward(h) as tf.Tensor;
      });
      return h;
    });
  }
}
