import type * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs's wasm backend that kernels working on its heap use. */
export interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/**
 * A float32 view of a tensor's storage on the wasm heap, without a copy. Take views after every
 * allocation of the kernel: an allocation can grow the heap, which detaches older views.
 */
export function heapF32(backend: WasmHeapBackend, t: tf.TensorInfo): Float32Array {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info) throw new Error('heapF32: the tensor is not stored on the wasm backend');
  const size = t.shape.reduce((a, b) => a * b, 1);
  return new Float32Array(backend.wasm.HEAPU8.buffer, info.memoryOffset, size);
}
