import { check, checkOptionNames, Module, NntkError, type Parameter } from '@nntk/core';
import { normal } from '@nntk/initializers';
import * as tf from '@tensorflow/tfjs-core';
import { checkSize, makeParameter } from './internal/parameters';

/** Options of {@link Embedding}, PyTorch's `nn.Embedding` keyword arguments camelCased. */
export interface EmbeddingOptions {
  /** A row index (negative counts from the end) whose row starts at zero and never gets a gradient. */
  paddingIdx?: number;
  /** Rows looked up with a `normType`-norm above this are rescaled to this norm, in place, in forward. */
  maxNorm?: number;
  /** The p of the p-norm `maxNorm` bounds (default 2). */
  normType?: number;
}

const OPTIONS = ['paddingIdx', 'maxNorm', 'normType'] as const;

/**
 * A lookup table, PyTorch's `nn.Embedding`: `y[…] = W[ids[…]]` for integer `ids` of any shape, giving
 * `[...ids.shape, embeddingDim]`. `W` is `[numEmbeddings, embeddingDim]` (the same layout as PyTorch), drawn
 * from N(0, 1), with the `paddingIdx` row zeroed. The gradient is the scatter-add
 * `∂L/∂W[k] = Σ_{i: ids[i] = k} ∂L/∂y[i]` (tfjs's `UnsortedSegmentSum`; on wasm nntk's own kernel), with
 * nothing reaching the `paddingIdx` row.
 *
 * With `maxNorm`, each forward first renormalises, in place and outside the gradient, every row it looks
 * up whose p-norm exceeds `maxNorm`: `W[k] ← W[k] · maxNorm / (‖W[k]‖_p + 1e-7)` (PyTorch's
 * `embedding_renorm_`), so the table changes in forward as in PyTorch.
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding row as a non-negative index, or undefined. */
  readonly paddingIdx?: number;
  readonly maxNorm?: number;
  readonly normType: number;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    checkOptionNames('Embedding', options, OPTIONS);
    this.numEmbeddings = checkSize('Embedding', 'numEmbeddings', numEmbeddings);
    this.embeddingDim = checkSize('Embedding', 'embeddingDim', embeddingDim);
    if (options.paddingIdx !== undefined) {
      const p = options.paddingIdx;
      if (!Number.isInteger(p) || p < -numEmbeddings || p >= numEmbeddings) {
        throw new NntkError(
          'INVALID_OPTION',
          `Embedding: option 'paddingIdx' must be an integer in [${-numEmbeddings}, ${numEmbeddings - 1}] (numEmbeddings = ${numEmbeddings}), got ${JSON.stringify(p)}`,
        );
      }
      this.paddingIdx = p < 0 ? p + numEmbeddings : p;
    }
    if (options.maxNorm !== undefined) this.maxNorm = check.positive('Embedding', 'maxNorm', options.maxNorm);
    this.normType = check.positive('Embedding', 'normType', options.normType ?? 2);
    const pad = this.paddingIdx;
    this.weight = makeParameter('weight', () => {
      const w = normal([numEmbeddings, embeddingDim]);
      if (pad === undefined) return w;
      const keep = tf.oneHot(tf.tensor1d([pad], 'int32'), numEmbeddings).reshape([numEmbeddings, 1]);
      return tf.mul(w, tf.sub(1, keep));
    });
  }

  forward(ids: tf.Tensor): tf.Tensor {
    if (ids.dtype !== 'int32') {
      throw new NntkError(
        'INVALID_OPTION',
        `Embedding: expected int32 indices, got a ${ids.dtype} tensor (cast with tf.cast(ids, 'int32'))`,
      );
    }
    if (this.maxNorm !== undefined) this.renormalise(ids, this.maxNorm);
    return tf.tidy(() => {
      const flat = ids.reshape([-1]);
      const rows =
        this.paddingIdx === undefined ? tf.gather(this.weight, flat) : this.gatherSkippingPad(flat);
      return rows.reshape([...ids.shape, this.embeddingDim]);
    });
  }

  /** The lookup with a gradient that leaves the padding row out. */
  private gatherSkippingPad(flat: tf.Tensor): tf.Tensor {
    const pad = this.paddingIdx as number;
    const n = this.numEmbeddings;
    const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [weight, save] = args as [tf.Tensor, tf.GradSaveFunc];
      save([flat]);
      return {
        value: tf.gather(weight, flat),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], [indices]: tf.Tensor[]) => {
          const keep = tf.cast(tf.notEqual(indices, pad), 'float32').reshape([-1, 1]);
          return tf.unsortedSegmentSum(tf.mul(dy as tf.Tensor, keep), indices as tf.Tensor1D, n);
        },
      };
    });
    return lookup(this.weight);
  }

  /** PyTorch's `embedding_renorm_`: rows looked up whose norm exceeds `maxNorm` are scaled down to it. */
  private renormalise(ids: tf.Tensor, maxNorm: number): void {
    const n = this.numEmbeddings;
    tf.tidy(() => {
      const used = tf.greater(
        tf.unsortedSegmentSum(tf.onesLike(ids).reshape([-1]), ids.reshape([-1]) as tf.Tensor1D, n),
        0,
      );
      const p = this.normType;
      const norms =
        p === 2 ? tf.norm(this.weight, 2, 1) : tf.pow(tf.sum(tf.pow(tf.abs(this.weight), p), 1), 1 / p);
      const scale = tf.where(
        tf.logicalAnd(used, tf.greater(norms, maxNorm)),
        tf.div(maxNorm, tf.add(norms, 1e-7)),
        tf.onesLike(norms),
      );
      this.weight.assign(tf.mul(this.weight, scale.reshape([n, 1])));
    });
  }

  override extraRepr(): string {
    const extra = [
      this.paddingIdx === undefined ? '' : `, paddingIdx=${this.paddingIdx}`,
      this.maxNorm === undefined ? '' : `, maxNorm=${this.maxNorm}`,
      this.normType === 2 ? '' : `, normType=${this.normType}`,
    ];
    return `${this.numEmbeddings}, ${this.embeddingDim}${extra.join('')}`;
  }
}
