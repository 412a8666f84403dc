import { check, checkOptionNames, Module, type Parameter, type Rng } from '@nntk/core';
import { normal } from '@nntk/initializers';
import * as tf from '@tensorflow/tfjs-core';
import { checkSize, makeParameter } from './internal/parameters';
import { addPositions, sequenceLength } from './internal/positions';

/** Options of {@link LearnedPositionalEncoding}. */
export interface LearnedPositionalEncodingOptions {
  /** Dropout on the sum in training (default 0.1). */
  dropout?: number;
  /** Inputs are `[N, L, dModel]` instead of `[L, N, dModel]` (default false). */
  batchFirst?: boolean;
  /** The generator for dropout masks (default: nntk's global one). */
  rng?: Rng;
}

/**
 * A learned absolute positional encoding (Gehring et al. 2017; the variant Vaswani et al. 2017, §3.5, found
 * equally good, and BERT's): `y = dropout(x + P[:L])` with a trainable table `P` `[maxLen, dModel]`, i.e. an
 * `nn.Embedding(maxLen, dModel)` looked up at positions `0 … L−1` and added. `weight` is drawn from
 * N(0, 1), as `nn.Embedding`'s. PyTorch has no such class.
 */
export class LearnedPositionalEncoding extends Module {
  readonly maxLen: number;
  readonly dModel: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  weight: Parameter;
  private readonly _rng?: Rng;

  constructor(maxLen: number, dModel: number, options: LearnedPositionalEncodingOptions = {}) {
    super();
    const owner = 'LearnedPositionalEncoding';
    checkOptionNames(owner, options, ['dropout', 'batchFirst', 'rng']);
    this.maxLen = checkSize(owner, 'maxLen', maxLen);
    this.dModel = checkSize(owner, 'dModel', dModel);
    this.dropout = check.inRange(owner, 'dropout', options.dropout ?? 0.1, 0, 1);
    this.batchFirst = check.boolean(owner, 'batchFirst', options.batchFirst ?? false);
    this._rng = options.rng;
    this.weight = makeParameter('weight', () => normal([maxLen, dModel]));
  }

  /** `x` `[L, N, dModel]` (`[N, L, dModel]` with batchFirst, or `[L, dModel]`) → the same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    const length = sequenceLength('LearnedPositionalEncoding', x, this.dModel, this.maxLen, this.batchFirst);
    return tf.tidy(() =>
      addPositions(x, this.weight, length, this.batchFirst, {
        p: this.dropout,
        training: this.training,
        rng: this._rng,
      }),
    );
  }

  override extraRepr(): string {
    return `maxLen=${this.maxLen}, dModel=${this.dModel}, dropout=${this.dropout}, batchFirst=${this.batchFirst}`;
  }
}
