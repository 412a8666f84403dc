import * as tf from '@tensorflow/tfjs-core';
import { fusedHeapKernels } from './fused-kernels';
import { heapOffset, type WasmHeapBackend } from './wasm-heap';

/** The wasm backend as this kernel uses it: its heap, allocation and release. */
type Backend = WasmHeapBackend & { disposeData(dataId: object, force?: boolean): boolean };

/**
 * The `NntkReluBiasGrad` kernel on wasm: from a ReLU's output `y` and the gradient `dy` of the loss with
 * respect to it (`[..., C]`), `dz = y ≤ 0 ? 0 : dy` and the bias gradient `db = Σ dz` over every axis but
 * the last, in one heap pass (fused-kernels.wat) instead of a ReLU gradient and a bias-gradient sum.
 * Where the heap kernels cannot run, the same values from tfjs ops.
 */
export function reluBiasGrad(y: tf.TensorInfo, dy: tf.TensorInfo, backend: Backend): tf.TensorInfo[] {
  const cols = y.shape[y.shape.length - 1] ?? 1;
  const rows = tf.util.sizeFromShape(y.shape) / cols;
  const kernels = y.dtype === 'float32' && dy.dtype === 'float32' ? fusedHeapKernels(backend) : undefined;
  if (!kernels) {
    return tf.tidy(() => {
      const yt = tf.engine().makeTensorFromTensorInfo(y);
      const dyt = tf.engine().makeTensorFromTensorInfo(dy);
      const dz = tf.where(tf.lessEqual(yt, 0), tf.zerosLike(dyt), dyt);
      return [dz, tf.sum(dz.reshape([rows, cols]), 0)];
    });
  }
  const dz = backend.makeOutput(y.shape, 'float32');
  const db = backend.makeOutput([cols], 'float32');
  const acc = backend.makeOutput([2 * cols], 'float32');
  kernels.reluBiasGrad(
    heapOffset(backend, y),
    heapOffset(backend, dy),
    heapOffset(backend, dz),
    heapOffset(backend, db),
    heapOffset(backend, acc),
    rows,
    cols,
  );
  backend.disposeData(acc.dataId, true);
  return [dz, db];
}
