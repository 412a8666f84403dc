import { checkOptions, Module, type Parameter } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { isConstantInput } from './internal/gradient-tape';
import { checkSize, defaultBias, defaultWeight, shapeError, withBias } from './internal/parameters';

/**
 * A fully connected layer, `y = x W + b`, with weight `[inFeatures, outFeatures]` (tfjs's layout; PyTorch
 * stores the transpose). Initialised as PyTorch's `nn.Linear`: W ~ kaiming-uniform with `a = √5`
 * (U(±1/√in)), b ~ U(±1/√in). Runs as one fused matmul + bias (a plain matmul and add on the data
 * batch, so the input gradient is not computed). Accepts `[*, inFeatures]`.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias?: Parameter;

  constructor(inFeatures: number, outFeatures: number, options: { bias?: boolean } = {}) {
    super();
    checkOptions('Linear', options, { bias: true });
    this.inFeatures = checkSize('Linear', 'inFeatures', inFeatures);
    this.outFeatures = checkSize('Linear', 'outFeatures', outFeatures);
    this.weight = defaultWeight([inFeatures, outFeatures]);
    if (options.bias ?? true) this.bias = defaultBias(outFeatures, inFeatures);
  }

  forward(x: tf.Tensor): tf.Tensor {
    const name = `Linear(${this.inFeatures} -> ${this.outFeatures})`;
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures)
      shapeError(name, `[*, ${this.inFeatures}]`, x.shape);
    return tf.tidy(() => {
      const flat = x.rank === 2 ? (x as tf.Tensor2D) : (x.reshape([-1, this.inFeatures]) as tf.Tensor2D);
      const weight = this.weight as tf.Tensor2D;
      // The fused op's gradient would also compute the input gradient, wasted on the data batch.
      const y = isConstantInput(flat)
        ? withBias(tf.matMul(flat, weight), this.bias)
        : tf.fused.matMul({ a: flat, b: weight, bias: this.bias });
      return x.rank === 2 ? y : y.reshape([...x.shape.slice(0, -1), this.outFeatures]);
    });
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== undefined}`;
  }
}
