import type * as tf from '@tensorflow/tfjs-core';
import { heapOffset, heapView, type WasmHeapBackend } from '../wasm-heap';

/** The wasm backend as the fused update kernels use it: its heap, allocation and reference counts. */
export type FusedUpdateBackend = WasmHeapBackend & { incRef(dataId: tf.DataId): void };

/**
 * The buffer a fused update writes an optimizer state tensor's next values to, returned as the kernel's
 * output for that state: the state's own buffer (one more reference to it, written in place) when only
 * the state holds it; else, when a clone shares it (a saved state dict, the non-finite guard's snapshot),
 * a copy of its values on the heap, so the clone keeps the old values. Take heap views after this: the
 * copy can grow the heap, detaching old views.
 */
export function writableState(backend: FusedUpdateBackend, state: tf.TensorInfo): tf.TensorInfo {
  if (backend.refCount(state.dataId) === 1) {
    backend.incRef(state.dataId);
    return { dataId: state.dataId, shape: state.shape, dtype: 'float32' };
  }
  const copy = backend.makeOutput(state.shape, 'float32');
  const from = heapOffset(backend, state);
  const size = state.shape.reduce((a, b) => a * b, 1);
  backend.wasm.HEAPU8.copyWithin(heapOffset(backend, copy), from, from + size * 4);
  return copy;
}

/**
 * The value of a float32 scalar input (a per-step number such as the learning rate), read from the heap
 * when the kernel runs, so a replayed kernel reads each step's value.
 */
export function scalarValue(backend: WasmHeapBackend, scalar: tf.TensorInfo): number {
  return (heapView(backend, scalar) as Float32Array)[0];
}
