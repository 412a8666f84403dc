import type * as tf from '@tensorflow/tfjs-core';
import { fusedHeapKernels } from './fused-kernels';
import { heapOffset, heapView, type WasmHeapBackend } from './wasm-heap';

/** The wasm backend as this kernel uses it: its heap, allocation and release. */
type Backend = WasmHeapBackend & { disposeData(dataId: object, force?: boolean): boolean };

/** The same pass in JavaScript on the heap views, where the SIMD module cannot run. */
function reluBiasGradScalar(backend: Backend, ts: tf.TensorInfo[], rows: number, cols: number): void {
  const [y, dy, dz, db] = ts.map((t) => heapView(backend, t) as Float32Array);
  const acc = new Float64Array(cols);
  for (let r = 0, at = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, at++) {
      const v = y[at] <= 0 ? 0 : dy[at];
      dz[at] = v;
      acc[c] += v;
    }
  }
  db.set(acc);
}

/**
 * The `NntkReluBiasGrad` kernel on wasm: from a ReLU's output `y` and the gradient `dy` of the loss with
 * respect to it (`[..., C]`, float32), `dz = y ≤ 0 ? 0 : dy` and the bias gradient `db = Σ dz` over every
 * axis but the last (accumulated in float64), in one heap pass (fused-kernels.wat, WASM SIMD) instead of a
 * ReLU gradient and a bias-gradient sum. Returns `[dz, db]`.
 */
export function reluBiasGrad(y: tf.TensorInfo, dy: tf.TensorInfo, backend: Backend): tf.TensorInfo[] {
  if (y.dtype !== 'float32' || dy.dtype !== 'float32')
    throw new Error(`NntkReluBiasGrad: float32 tensors only, got ${y.dtype} and ${dy.dtype}`);
  const cols = y.shape[y.shape.length - 1] ?? 1;
  const rows = y.shape.reduce((a, b) => a * b, 1) / cols;
  const dz = backend.makeOutput(y.shape, 'float32');
  const db = backend.makeOutput([cols], 'float32');
  const kernels = fusedHeapKernels(backend);
  if (!kernels) {
    reluBiasGradScalar(backend, [y, dy, dz, db], rows, cols);
    return [dz, db];
  }
  const acc = backend.makeOutput([2 * cols], 'float32');
  const at = (t: tf.TensorInfo) => heapOffset(backend, t);
  kernels.reluBiasGrad(at(y), at(dy), at(dz), at(db), at(acc), rows, cols);
  backend.disposeData(acc.dataId, true);
  return [dz, db];
}
