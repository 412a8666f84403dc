import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, BatchSource, Dataset } from './dataset';

/** A column of examples: its values (row-major), the shape of one example, and the dtype. */
export interface Column {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** One example: `x` and `y` as typed-array rows (or numbers for scalar columns). */
export interface Example {
  x: Float32Array | Int32Array | number;
  y: Float32Array | Int32Array | number;
}

function toColumn(owner: string, name: string, source: tf.Tensor | Column): Column {
  if ('values' in source && !('dataSync' in source)) return source as Column;
  const tensor = source as tf.Tensor;
  if (tensor.rank < 1)
    throw new NntkError('SHAPE_MISMATCH', `${owner}: '${name}' needs a leading example axis, got a scalar`);
  const dtype = tensor.dtype === 'int32' || tensor.dtype === 'bool' ? 'int32' : 'float32';
  const values =
    dtype === 'int32' ? Int32Array.from(tensor.dataSync()) : Float32Array.from(tensor.dataSync());
  return { values, shape: tensor.shape.slice(1), dtype };
}

function rowSize(column: Column): number {
  return column.shape.reduce((a, b) => a * b, 1);
}

/**
 * Inputs and targets held as typed arrays (PyTorch's `TensorDataset`), copied once from tensors or given
 * as columns. Batches are gathered from the arrays, so no large tensor is sliced per batch (which is slow
 * on wasm).
 */
export class TensorDataset implements Dataset<Example>, BatchSource {
  readonly x: Column;
  readonly y: Column;
  readonly length: number;

  constructor(x: tf.Tensor | Column, y: tf.Tensor | Column) {
    this.x = toColumn('TensorDataset', 'x', x);
    this.y = toColumn('TensorDataset', 'y', y);
    const nx = this.x.values.length / rowSize(this.x);
    const ny = this.y.values.length / rowSize(this.y);
    if (nx !== ny || !Number.isInteger(nx)) {
      throw new NntkError(
        'SHAPE_MISMATCH',
        `TensorDataset: x holds ${nx} examples and y holds ${ny}; they must match`,
      );
    }
    this.length = nx;
  }

  private row(column: Column, index: number): Float32Array | Int32Array | number {
    const size = rowSize(column);
    if (column.shape.length === 0) return column.values[index];
    return column.values.subarray(index * size, (index + 1) * size);
  }

  get(index: number): Example {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new NntkError(
        'INVALID_OPTION',
        `TensorDataset.get: index ${index} is out of range [0, ${this.length})`,
      );
    }
    return { x: this.row(this.x, index), y: this.row(this.y, index) };
  }

  private gather(column: Column, indices: ArrayLike<number>): tf.Tensor {
    const size = rowSize(column);
    const out =
      column.dtype === 'int32'
        ? new Int32Array(indices.length * size)
        : new Float32Array(indices.length * size);
    for (let i = 0; i < indices.length; i++) {
      const start = indices[i] * size;
      out.set(column.values.subarray(start, start + size), i * size);
    }
    return tf.tensor(out, [indices.length, ...column.shape], column.dtype);
  }

  getBatch(indices: ArrayLike<number>): Batch {
    return { x: this.gather(this.x, indices), y: this.gather(this.y, indices) };
  }
}
