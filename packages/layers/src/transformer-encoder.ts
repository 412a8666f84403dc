import { checkOptionNames, Module, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkSize } from './internal/parameters';
import type { TransformerEncoderLayer } from './transformer-encoder-layer';

/** Options of {@link TransformerEncoder}. */
export interface TransformerEncoderOptions {
  /** A module applied after the last layer (PyTorch's `norm`, usually a `LayerNorm(dModel)`). */
  norm?: Module;
}

/** The masks {@link TransformerEncoder.forward} passes to every layer, as PyTorch's `mask` and `src_key_padding_mask`. */
export interface TransformerEncoderCallOptions {
  /** `[L, L]` or `[N·nhead, L, L]`, each layer's `srcMask`. */
  mask?: tf.Tensor;
  /** `[N, L]`, each layer's `srcKeyPaddingMask`. */
  srcKeyPaddingMask?: tf.Tensor;
}

/**
 * A stack of `numLayers` encoder layers (Vaswani et al. 2017, §3.1), PyTorch's `nn.TransformerEncoder`:
 * `layers.0` is the given layer itself and `layers.1…` are copies of it (same options, same initial values,
 * as PyTorch's `deepcopy` clones), then the optional final `norm`. State-dict keys are PyTorch's
 * (`layers.0.selfAttn.inProjWeight`, …, `norm.weight`). PyTorch's nested-tensor fast path for padded
 * batches is an inference optimisation with the same values; nntk always computes densely.
 */
export class TransformerEncoder extends Module {
  readonly numLayers: number;
  layers: TransformerEncoderLayer[];
  norm?: Module;

  constructor(
    encoderLayer: TransformerEncoderLayer,
    numLayers: number,
    options: TransformerEncoderOptions = {},
  ) {
    super();
    checkOptionNames('TransformerEncoder', options, ['norm']);
    this.numLayers = checkSize('TransformerEncoder', 'numLayers', numLayers);
    if (!(encoderLayer instanceof Module) || typeof encoderLayer.clone !== 'function') {
      throw new NntkError(
        'INVALID_OPTION',
        'TransformerEncoder: the first argument must be a TransformerEncoderLayer (it is copied numLayers times)',
      );
    }
    if (options.norm !== undefined && !(options.norm instanceof Module)) {
      throw new NntkError(
        'INVALID_OPTION',
        "TransformerEncoder: option 'norm' must be a Module such as LayerNorm(dModel)",
      );
    }
    this.layers = [encoderLayer];
    for (let i = 1; i < numLayers; i++) this.layers.push(encoderLayer.clone());
    this.norm = options.norm;
  }

  /** `src` through every layer with the same masks, then `norm`. */
  forward(src: tf.Tensor, options: TransformerEncoderCallOptions = {}): tf.Tensor {
    checkOptionNames('TransformerEncoder.forward', options, ['mask', 'srcKeyPaddingMask']);
    const layerOptions = { srcMask: options.mask, srcKeyPaddingMask: options.srcKeyPaddingMask };
    return tf.tidy(() => {
      const x = this.layers.reduce((h, layer) => layer.forward(h, layerOptions), src);
      return this.norm ? (this.norm.forward(x) as tf.Tensor) : x;
    });
  }

  override extraRepr(): string {
    return `numLayers=${this.numLayers}`;
  }
}
