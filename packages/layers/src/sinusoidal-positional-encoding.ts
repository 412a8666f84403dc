import { check, checkOptionNames, Module, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkSize, makeBuffer } from './internal/parameters';
import { addPositions, sequenceLength } from './internal/positions';

/** Options of {@link SinusoidalPositionalEncoding}. */
export interface SinusoidalPositionalEncodingOptions {
  /** The longest sequence it encodes (default 5000). */
  maxLen?: number;
  /** Dropout on the sum in training (default 0.1, as PyTorch's Transformer tutorial). */
  dropout?: number;
  /** Inputs are `[N, L, dModel]` instead of `[L, N, dModel]` (default false). */
  batchFirst?: boolean;
  /** The generator for dropout masks (default: nntk's global one). */
  rng?: Rng;
}

/**
 * The fixed sinusoidal positional encoding of Vaswani et al. 2017 ("Attention Is All You Need", §3.5):
 *
 *   `PE(pos, 2i) = sin(pos / 10000^(2i / dModel))`,  `PE(pos, 2i + 1) = cos(pos / 10000^(2i / dModel))`,
 *
 * added to the input, then dropout: `y = dropout(x + PE[:L])`. PyTorch has no such class; this is the
 * `PositionalEncoding` of PyTorch's Transformer tutorial (same defaults, `pe` kept as a buffer so it is in
 * the state dict), computed in float64 and stored as float32; an odd `dModel` is allowed (the last column is
 * a sine).
 */
export class SinusoidalPositionalEncoding extends Module {
  readonly dModel: number;
  readonly maxLen: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  /** `[maxLen, dModel]`, non-trainable. */
  pe: tf.Variable;
  private readonly _rng?: Rng;

  constructor(dModel: number, options: SinusoidalPositionalEncodingOptions = {}) {
    super();
    const owner = 'SinusoidalPositionalEncoding';
    checkOptionNames(owner, options, ['maxLen', 'dropout', 'batchFirst', 'rng']);
    this.dModel = checkSize(owner, 'dModel', dModel);
    this.maxLen = checkSize(owner, 'maxLen', options.maxLen ?? 5000);
    this.dropout = check.inRange(owner, 'dropout', options.dropout ?? 0.1, 0, 1);
    this.batchFirst = check.boolean(owner, 'batchFirst', options.batchFirst ?? false);
    this._rng = options.rng;
    const table = sinusoidTable(this.maxLen, dModel);
    this.pe = makeBuffer(() => tf.tensor2d(Float32Array.from(table), [this.maxLen, dModel]));
  }

  /** `x` `[L, N, dModel]` (`[N, L, dModel]` with batchFirst, or `[L, dModel]`) → the same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    const length = sequenceLength(
      'SinusoidalPositionalEncoding',
      x,
      this.dModel,
      this.maxLen,
      this.batchFirst,
    );
    return tf.tidy(() =>
      addPositions(x, this.pe, length, this.batchFirst, {
        p: this.dropout,
        training: this.training,
        rng: this._rng,
      }),
    );
  }

  override extraRepr(): string {
    return `dModel=${this.dModel}, maxLen=${this.maxLen}, dropout=${this.dropout}, batchFirst=${this.batchFirst}`;
  }
}

/** The `[maxLen, dModel]` table of sines and cosines, row-major, in float64. */
export function sinusoidTable(maxLen: number, dModel: number): Float64Array {
  const table = new Float64Array(maxLen * dModel);
  for (let pos = 0; pos < maxLen; pos++) {
    for (let j = 0; j < dModel; j++) {
      const angle = pos / 10000 ** ((j - (j % 2)) / dModel);
      table[pos * dModel + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return table;
}
