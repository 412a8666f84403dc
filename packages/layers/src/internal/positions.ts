import { NntkError, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { dropoutIn } from './dropout-mask';

/** Checks `x` is `[L, N, dModel]` (`[N, L, dModel]` with batchFirst) or `[L, dModel]`; returns L. */
export function sequenceLength(
  owner: string,
  x: tf.Tensor,
  dModel: number,
  maxLen: number,
  batchFirst: boolean,
): number {
  if ((x.rank !== 3 && x.rank !== 2) || x.shape[x.rank - 1] !== dModel) {
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: expected input ${batchFirst ? '[N, L, dModel]' : '[L, N, dModel]'} or [L, dModel] with dModel = ${dModel}, got [${x.shape.join(', ')}]`,
    );
  }
  const length = (x.rank === 3 && batchFirst ? x.shape[1] : x.shape[0]) as number;
  if (length > maxLen) {
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: the sequence has ${length} positions but the encoding holds maxLen = ${maxLen}; construct it with a larger maxLen`,
    );
  }
  return length;
}

/** `x + table[:L]` broadcast over the batch axis, then inverted dropout in training. */
export function addPositions(
  x: tf.Tensor,
  table: tf.Tensor,
  length: number,
  batchFirst: boolean,
  dropout: { p: number; training: boolean; rng?: Rng },
): tf.Tensor {
  const rows = tf.slice(table, [0, 0], [length, -1]);
  const shaped = x.rank === 2 ? rows : batchFirst ? rows.expandDims(0) : rows.expandDims(1);
  return dropoutIn(tf.add(x, shaped), dropout.p, dropout.training, dropout.rng);
}
