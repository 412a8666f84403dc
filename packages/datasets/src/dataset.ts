import type * as tf from '@tensorflow/tfjs-core';

/** A data set: a length and random access to examples (synchronously or not), as `torch.utils.data.Dataset`. */
export interface Dataset<T = unknown> {
  readonly length: number;
  get(index: number): T | Promise<T>;
}

/** An input/target batch of tensors; the consumer disposes both. */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

/**
 * A data set that can build a whole batch at once from typed arrays (no per-example tensors, no slicing
 * of a big tensor): `DataLoader` uses this fast path when it is there.
 */
export interface BatchSource {
  getBatch(indices: ArrayLike<number>): Batch;
}

export function isBatchSource(value: unknown): value is BatchSource {
  return typeof (value as BatchSource)?.getBatch === 'function';
}
