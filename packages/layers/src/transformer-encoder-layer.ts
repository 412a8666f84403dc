import { check, checkOptionNames, Module, NntkError, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { GELU } from './gelu';
import { dropoutIn } from './internal/dropout-mask';
import { checkSize } from './internal/parameters';
import { LayerNorm } from './layer-norm';
import { Linear } from './linear';
import { MultiheadAttention } from './multihead-attention';
import { ReLU } from './relu';

/** Options of {@link TransformerEncoderLayer}, PyTorch's keyword arguments camelCased. */
export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block, and on the attention weights (default 0.1). */
  dropout?: number;
  /** The feed-forward activation (default 'relu'). */
  activation?: 'relu' | 'gelu';
  /** The LayerNorms' eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs are `[N, L, E]` instead of `[L, N, E]` (default false). */
  batchFirst?: boolean;
  /** Pre-norm (LayerNorm before each block) instead of post-norm (default false). */
  normFirst?: boolean;
  /** The generator for dropout masks (default: nntk's global one). */
  rng?: Rng;
}

/** The masks {@link TransformerEncoderLayer.forward} takes, as PyTorch's `src_mask` and `src_key_padding_mask`. */
export interface EncoderCallOptions {
  /** `[L, L]` or `[N·nhead, L, L]`, bool (true = may not attend) or float (added), as MultiheadAttention's attnMask. */
  srcMask?: tf.Tensor;
  /** `[N, L]`, bool (true = padding) or float (added), as MultiheadAttention's keyPaddingMask. */
  srcKeyPaddingMask?: tf.Tensor;
}

const OPTIONS = [
  'dimFeedforward',
  'dropout',
  'activation',
  'layerNormEps',
  'batchFirst',
  'normFirst',
  'rng',
] as const;
const ACTIVATIONS = ['relu', 'gelu'] as const;

/**
 * One Transformer encoder block (Vaswani et al. 2017, §3.1), PyTorch's `nn.TransformerEncoderLayer`:
 * self-attention then a position-wise feed-forward block `linear2(dropout(act(linear1(x))))`, each with a
 * residual connection and LayerNorm. Post-norm (the paper's, default):
 * `x = norm1(x + dropout1(SA(x)))`, `x = norm2(x + dropout2(FF(x)))`; pre-norm (`normFirst`, Xiong et al.
 * 2020): `x = x + dropout1(SA(norm1(x)))`, `x = x + dropout2(FF(norm2(x)))`. Children carry PyTorch's names
 * (`selfAttn`, `linear1`, `linear2`, `norm1`, `norm2`), so a PyTorch state dict maps key for key (camelCased,
 * dense weights transposed).
 */
export class TransformerEncoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly dimFeedforward: number;
  readonly dropout: number;
  readonly activation: 'relu' | 'gelu';
  readonly layerNormEps: number;
  readonly batchFirst: boolean;
  readonly normFirst: boolean;
  selfAttn: MultiheadAttention;
  linear1: Linear;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  private readonly _activation: Module;
  private readonly _rng?: Rng;

  constructor(dModel: number, nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super();
    checkOptionNames('TransformerEncoderLayer', options, OPTIONS);
    const owner = 'TransformerEncoderLayer';
    this.dModel = checkSize(owner, 'dModel', dModel);
    this.nhead = checkSize(owner, 'nhead', nhead);
    this.dimFeedforward = checkSize(owner, 'dimFeedforward', options.dimFeedforward ?? 2048);
    this.dropout = check.inRange(owner, 'dropout', options.dropout ?? 0.1, 0, 1);
    this.activation = check.oneOf(owner, 'activation', options.activation ?? 'relu', ACTIVATIONS);
    this.layerNormEps = check.positive(owner, 'layerNormEps', options.layerNormEps ?? 1e-5);
    this.batchFirst = check.boolean(owner, 'batchFirst', options.batchFirst ?? false);
    this.normFirst = check.boolean(owner, 'normFirst', options.normFirst ?? false);
    this._rng = options.rng;
    if (dModel % nhead !== 0) {
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: 'dModel' (${dModel}) must be divisible by 'nhead' (${nhead})`,
      );
    }
    this.selfAttn = new MultiheadAttention(dModel, nhead, {
      dropout: this.dropout,
      batchFirst: this.batchFirst,
      ...(options.rng ? { rng: options.rng } : {}),
    });
    this.linear1 = new Linear(dModel, this.dimFeedforward);
    this.linear2 = new Linear(this.dimFeedforward, dModel);
    this.norm1 = new LayerNorm(dModel, { eps: this.layerNormEps });
    this.norm2 = new LayerNorm(dModel, { eps: this.layerNormEps });
    this._activation = this.activation === 'gelu' ? new GELU() : new ReLU();
  }

  /** `src` `[L, N, E]` (`[N, L, E]` with `batchFirst`, or unbatched `[L, E]`) → the same shape. */
  forward(src: tf.Tensor, options: EncoderCallOptions = {}): tf.Tensor {
    checkOptionNames('TransformerEncoderLayer.forward', options, ['srcMask', 'srcKeyPaddingMask']);
    return tf.tidy(() => {
      let x = src;
      if (this.normFirst) {
        x = tf.add(x, this.selfAttentionBlock(this.norm1.forward(x), options));
        return tf.add(x, this.feedForwardBlock(this.norm2.forward(x)));
      }
      x = this.norm1.forward(tf.add(x, this.selfAttentionBlock(x, options)));
      return this.norm2.forward(tf.add(x, this.feedForwardBlock(x)));
    });
  }

  private selfAttentionBlock(x: tf.Tensor, options: EncoderCallOptions): tf.Tensor {
    const [out] = this.selfAttn.forward(x, x, x, {
      attnMask: options.srcMask,
      keyPaddingMask: options.srcKeyPaddingMask,
      needWeights: false,
    });
    return this.drop(out);
  }

  private feedForwardBlock(x: tf.Tensor): tf.Tensor {
    const hidden = this.drop(this._activation.forward(this.linear1.forward(x)) as tf.Tensor);
    return this.drop(this.linear2.forward(hidden));
  }

  /** Inverted dropout in training (PyTorch's `dropout`, `dropout1`, `dropout2`), the identity in eval. */
  private drop(x: tf.Tensor): tf.Tensor {
    return dropoutIn(x, this.dropout, this.training, this._rng);
  }

  /** A new layer with the same options and a copy of this one's parameter values (PyTorch's `deepcopy`). */
  clone(): TransformerEncoderLayer {
    const copy = new TransformerEncoderLayer(this.dModel, this.nhead, {
      dimFeedforward: this.dimFeedforward,
      dropout: this.dropout,
      activation: this.activation,
      layerNormEps: this.layerNormEps,
      batchFirst: this.batchFirst,
      normFirst: this.normFirst,
      ...(this._rng ? { rng: this._rng } : {}),
    });
    copy.loadStateDict(this.stateDict());
    copy.train(this.training);
    return copy;
  }

  override extraRepr(): string {
    return `dModel=${this.dModel}, nhead=${this.nhead}, dimFeedforward=${this.dimFeedforward}, dropout=${this.dropout}, activation='${this.activation}', normFirst=${this.normFirst}`;
  }
}
