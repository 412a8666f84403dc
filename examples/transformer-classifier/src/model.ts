import { Module } from '@nntk/core';
import {
  Embedding,
  LayerNorm,
  LearnedPositionalEncoding,
  Linear,
  SinusoidalPositionalEncoding,
  TransformerEncoder,
  TransformerEncoderLayer,
} from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';

export type PositionKind = 'sinusoidal' | 'learned' | 'none';

export interface ClassifierOptions {
  vocabulary: number;
  maxLength: number;
  dModel: number;
  nhead: number;
  dimFeedforward: number;
  numLayers: number;
  positions: PositionKind;
}

/**
 * A small Transformer encoder classifier: token embedding (0 = padding) + positional encoding, a pre-norm
 * `TransformerEncoder` with a final LayerNorm that ignores padded positions (`srcKeyPaddingMask`), the mean
 * of the encoded non-padding positions, and a linear head to 2 logits.
 */
export class SequenceClassifier extends Module {
  embedding: Embedding;
  position?: SinusoidalPositionalEncoding | LearnedPositionalEncoding;
  encoder: TransformerEncoder;
  head: Linear;

  constructor(o: ClassifierOptions) {
    super();
    this.embedding = new Embedding(o.vocabulary + 1, o.dModel, { paddingIdx: 0 });
    if (o.positions === 'sinusoidal')
      this.position = new SinusoidalPositionalEncoding(o.dModel, {
        maxLen: o.maxLength,
        dropout: 0,
        batchFirst: true,
      });
    if (o.positions === 'learned')
      this.position = new LearnedPositionalEncoding(o.maxLength, o.dModel, { dropout: 0, batchFirst: true });
    const layer = new TransformerEncoderLayer(o.dModel, o.nhead, {
      dimFeedforward: o.dimFeedforward,
      dropout: 0,
      batchFirst: true,
      normFirst: true,
    });
    this.encoder = new TransformerEncoder(layer, o.numLayers, { norm: new LayerNorm(o.dModel) });
    this.head = new Linear(o.dModel, 2);
  }

  /** `ids` `[N, L]` int32 → logits `[N, 2]`. */
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const padding = tf.equal(ids, 0);
      const tokens = this.embedding.forward(ids);
      const x = this.position ? this.position.forward(tokens) : tokens;
      const h = this.encoder.forward(x, { srcKeyPaddingMask: padding });
      const keep = tf.cast(tf.logicalNot(padding), 'float32').expandDims(2);
      const pooled = tf.div(tf.sum(tf.mul(h, keep), 1), tf.sum(keep, 1));
      return this.head.forward(pooled);
    });
  }
}
