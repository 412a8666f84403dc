import { check, checkOptions, Module, NntkError, type Parameter } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkSize, makeParameter, shapeError } from './internal/parameters';

/**
 * Group normalisation (Wu and He 2018), PyTorch's `nn.GroupNorm`: channels (the last axis) split into
 * `numGroups` groups, each normalised over its channels and all spatial positions, per sample.
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  weight?: Parameter;
  bias?: Parameter;

  constructor(numGroups: number, numChannels: number, options: { eps?: number; affine?: boolean } = {}) {
    super();
    checkOptions('GroupNorm', options, { eps: true, affine: true });
    this.numGroups = checkSize('GroupNorm', 'numGroups', numGroups);
    this.numChannels = checkSize('GroupNorm', 'numChannels', numChannels);
    if (numChannels % numGroups !== 0) {
      throw new NntkError(
        'INVALID_OPTION',
        `GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`,
      );
    }
    this.eps = check.positive('GroupNorm', 'eps', options.eps ?? 1e-5);
    if (options.affine ?? true) {
      this.weight = makeParameter('weight', () => tf.ones([numChannels]));
      this.bias = makeParameter('bias', () => tf.zeros([numChannels]));
    }
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank < 2 || x.shape[x.rank - 1] !== this.numChannels) {
      shapeError(`GroupNorm(${this.numGroups}, ${this.numChannels})`, `[N, *, ${this.numChannels}]`, x.shape);
    }
    return tf.tidy(() => {
      const grouped = x.reshape([...x.shape.slice(0, -1), this.numGroups, this.numChannels / this.numGroups]);
      const axes = [...Array(grouped.rank).keys()].filter((a) => a !== 0 && a !== grouped.rank - 2);
      const { mean, variance } = tf.moments(grouped, axes, true);
      let y = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, this.eps))).reshape(x.shape);
      if (this.weight && this.bias) y = tf.add(tf.mul(y, this.weight), this.bias);
      return y;
    });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.weight !== undefined}`;
  }
}
