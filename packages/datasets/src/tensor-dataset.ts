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

function isTensor(source: unknown): source is tf.Tensor {
  return typeof (source as tf.Tensor)?.data === 'function' && Array.isArray((source as tf.Tensor).shape);
}

function checkColumn(owner: string, name: string, source: Column): Column {
  if (isTensor(source)) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: '${name}' is a tensor; build the data set with await TensorDataset.fromTensors(x, y), which reads tensors with await data() (a synchronous read throws on webgpu and stalls a GPU)`,
    );
  }
  if (!ArrayBuffer.isView(source?.values) || !Array.isArray(source.shape))
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: '${name}' must be a column { values: Float32Array | Int32Array, shape, dtype }`,
    );
  return source;
}

/** A tensor's values as a column (examples along the first axis), read with `await data()`. */
async function columnOf(owner: string, name: string, tensor: tf.Tensor): Promise<Column> {
  if (tensor.rank < 1)
    throw new NntkError('SHAPE_MISMATCH', `${owner}: '${name}' needs a leading example axis, got a scalar`);
  const dtype = tensor.dtype === 'int32' || tensor.dtype === 'bool' ? 'int32' : 'float32';
  const data = await tensor.data();
  const values = dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
  return { values, shape: tensor.shape.slice(1), dtype };
}

function rowSize(column: Column): number {
  return column.shape.reduce((a, b) => a * b, 1);
}

/**
 * Inputs and targets held as typed arrays (PyTorch's `TensorDataset`), given as columns
 * (`new TensorDataset(xColumn, yColumn)`) or copied once from tensors with
 * `await TensorDataset.fromTensors(x, y)` (one `await data()` each; no synchronous device read). Batches
 * are gathered from the arrays, so no large tensor is sliced per batch (which is slow on wasm).
 */
export class TensorDataset implements Dataset<Example>, BatchSource {
  readonly x: Column;
  readonly y: Column;
  readonly length: number;

  /** Copies tensors (examples along the first axis) into a data set, reading each with `await data()`. */
  static async fromTensors(x: tf.Tensor, y: tf.Tensor): Promise<TensorDataset> {
    const owner = 'TensorDataset.fromTensors';
    const [xs, ys] = await Promise.all([columnOf(owner, 'x', x), columnOf(owner, 'y', y)]);
    return new TensorDataset(xs, ys);
  }

  constructor(x: Column, y: Column) {
    this.x = checkColumn('TensorDataset', 'x', x);
    this.y = checkColumn('TensorDataset', 'y', y);
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
