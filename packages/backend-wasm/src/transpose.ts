import * as tf from '@tensorflow/tfjs-core';
import { coreHeapKernels } from './heap-kernels';
import type { KernelFunction } from './kernel-wrapper';
import { heapOffset, type WasmHeapBackend } from './wasm-heap';

/** A permutation that is a (batched) matrix transpose: `[batch, rows, cols]` to `[batch, cols, rows]`. */
interface MatrixTranspose {
  batch: number;
  rows: number;
  cols: number;
}

const product = (shape: number[], axes: number[]) => axes.reduce((size, axis) => size * shape[axis], 1);

/**
 * Reads a permutation as a batched matrix transpose when it is one: runs of axes that stay adjacent are
 * merged, and the merged permutation must be [1, 0] or [0, 2, 1] (`[2, 0, 1]` of `[a, b, c]` is `[a, b·c]`
 * transposed, `[0, 1, 3, 2]` swaps the last two of a batch).
 */
export function asMatrixTranspose(shape: number[], perm: number[]): MatrixTranspose | undefined {
  const runs: number[][] = [];
  for (const axis of perm) {
    const last = runs.at(-1);
    if (last && last.at(-1) === axis - 1) last.push(axis);
    else runs.push([axis]);
  }
  const [first, second, third] = runs;
  if (runs.length === 2) return { batch: 1, rows: product(shape, second), cols: product(shape, first) };
  if (runs.length === 3 && first[0] === 0 && second[0] > third[0]) {
    return { batch: product(shape, first), rows: product(shape, third), cols: product(shape, second) };
  }
  return undefined;
}

/**
 * Wraps the wasm `Transpose` kernel: a float32 transpose that is a (batched) matrix transpose runs as
 * heap-kernels.wat's SIMD kernel (4 × 4 blocks in registers) instead of tfjs's scalar loop. Every matmul
 * with a transposed operand takes one.
 */
export function withMatrixTranspose(original: KernelFunction): KernelFunction {
  return (args) => {
    const x: tf.TensorInfo = args.inputs.x;
    const perm: number[] = args.attrs.perm;
    const backend = args.backend as WasmHeapBackend;
    const plan =
      x.dtype === 'float32' && tf.util.sizeFromShape(x.shape) > 0 && asMatrixTranspose(x.shape, perm);
    const kernels = plan && coreHeapKernels(backend);
    if (!plan || !kernels) return original(args);
    const out = backend.makeOutput(
      perm.map((axis) => x.shape[axis]),
      'float32',
    );
    kernels.transpose(heapOffset(backend, x), heapOffset(backend, out), plan.batch, plan.rows, plan.cols);
    return out;
  };
}
