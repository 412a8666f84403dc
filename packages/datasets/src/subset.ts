import { NntkError } from '@nntk/core';
import { type Batch, type BatchSource, type Dataset, isBatchSource } from './dataset';

/** The examples of `dataset` at `indices`, in that order (PyTorch's `Subset`). */
export class Subset<T> implements Dataset<T>, Partial<BatchSource> {
  readonly indices: Int32Array;
  getBatch?: (indices: ArrayLike<number>) => Batch;

  constructor(
    readonly dataset: Dataset<T>,
    indices: ArrayLike<number>,
  ) {
    this.indices = Int32Array.from(indices);
    for (const i of this.indices) {
      if (i < 0 || i >= dataset.length)
        throw new NntkError('INVALID_OPTION', `Subset: index ${i} is out of range [0, ${dataset.length})`);
    }
    if (isBatchSource(dataset)) {
      this.getBatch = (batchIndices) => dataset.getBatch(Array.from(batchIndices, (i) => this.indices[i]));
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T | Promise<T> {
    return this.dataset.get(this.indices[index]);
  }
}
