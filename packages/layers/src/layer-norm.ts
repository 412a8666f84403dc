import { check, checkOptions, Module, type Parameter } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkSize, makeParameter, shapeError } from './internal/parameters';

/** Layer normalisation (Ba et al. 2016) over the trailing `normalizedShape` dimensions, PyTorch's `nn.LayerNorm`. */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  weight?: Parameter;
  bias?: Parameter;

  constructor(
    normalizedShape: number | number[],
    options: { eps?: number; elementwiseAffine?: boolean } = {},
  ) {
    super();
    checkOptions('LayerNorm', options, { eps: true, elementwiseAffine: true });
    const shape = Array.isArray(normalizedShape) ? normalizedShape : [normalizedShape];
    this.normalizedShape = shape.map((d) => checkSize('LayerNorm', 'normalizedShape', d));
    this.eps = check.positive('LayerNorm', 'eps', options.eps ?? 1e-5);
    if (options.elementwiseAffine ?? true) {
      this.weight = makeParameter('weight', () => tf.ones(shape));
      this.bias = makeParameter('bias', () => tf.zeros(shape));
    }
  }

  forward(x: tf.Tensor): tf.Tensor {
    const k = this.normalizedShape.length;
    if (x.rank < k || !tf.util.arraysEqual(x.shape.slice(-k), this.normalizedShape)) {
      shapeError(`LayerNorm([${this.normalizedShape}])`, `[*, ${this.normalizedShape.join(', ')}]`, x.shape);
    }
    return tf.tidy(() => {
      const axes = this.normalizedShape.map((_, i) => x.rank - k + i);
      const { mean, variance } = tf.moments(x, axes, true);
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)));
      if (this.weight && this.bias) y = tf.add(tf.mul(y, this.weight), this.bias);
      return y;
    });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape}], eps=${this.eps}, elementwiseAffine=${this.weight !== undefined}`;
  }
}
