import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs's wasm backend the fused updates read: its heap and where each tensor lives in it. */
export interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  refCount(dataId: object): number;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** The active backend when it is tfjs's wasm backend, else undefined. */
export function wasmBackend(): WasmBackendLike | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as Partial<WasmBackendLike>;
  return backend.wasm?.HEAPU8 && backend.dataIdMap ? (backend as WasmBackendLike) : undefined;
}

/** A float32 view of a tensor's storage on the wasm heap (valid until the heap next grows). */
export function heapView(backend: WasmBackendLike, t: tf.Tensor): Float32Array | undefined {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info || t.dtype !== 'float32') return undefined;
  return new Float32Array(backend.wasm.HEAPU8.buffer, info.memoryOffset, t.size);
}

/**
 * Makes an optimizer state variable the only holder of its storage, so the fused updates can write it in
 * place: when a clone shares it (a saved state dict, say) the variable gets a copy of its own and the
 * clone keeps its values. Take heap views after this: the copy can grow the heap, detaching old views.
 */
export function ownStorage(backend: WasmBackendLike, state: tf.Variable): void {
  if (backend.refCount(state.dataId) !== 1) state.assign(tf.tensor(state.dataSync(), state.shape, 'float32'));
}

/**
 * Gives a parameter its updated values in a new buffer. tfjs's wasm backend caches XNNPACK operators
 * with their weights packed, keyed by the tensor, so a weight changed in place would leave matmuls
 * computing with the old values.
 */
export function assignNewValues(param: tf.Variable, values: Float32Array): void {
  param.assign(tf.tensor(values, param.shape, 'float32'));
}

/** Where a tensor's storage starts on the wasm heap, in bytes. */
export function heapOffset(backend: WasmBackendLike, t: tf.TensorInfo): number {
  return (backend.dataIdMap.get(t.dataId) as { memoryOffset: number }).memoryOffset;
}

/**
 * Fresh storage on the wasm heap for a parameter's next values: a kernel writes it at `offset`, then
 * `assign()` hands it to the parameter (a new buffer, as {@link assignNewValues} explains).
 */
export function newParamStorage(
  backend: WasmBackendLike,
  param: tf.Variable,
): { offset: number; assign(): void } {
  const out = backend.makeOutput(param.shape, 'float32');
  return {
    offset: heapOffset(backend, out),
    assign: () => param.assign(tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor),
  };
}
