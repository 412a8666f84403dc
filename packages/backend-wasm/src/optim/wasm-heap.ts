import * as tf from '@tensorflow/tfjs-core';
import { heapOffset, type WasmHeapBackend } from '../wasm-heap';

/**
 * Makes an optimizer state variable the only holder of its storage, so the fused updates can write it in
 * place: when a clone shares it (a saved state dict, say) the variable gets a copy of its own and the
 * clone keeps its values (a copy on the heap). Take heap views after this: the copy can grow the heap, detaching old views.
 */
export function ownStorage(backend: WasmHeapBackend, state: tf.Variable): void {
  if (backend.refCount(state.dataId) === 1) return;
  const copy = backend.makeOutput(state.shape, 'float32');
  const from = heapOffset(backend, state);
  backend.wasm.HEAPU8.copyWithin(heapOffset(backend, copy), from, from + state.size * 4);
  const owned = tf.engine().makeTensorFromTensorInfo(copy) as tf.Tensor;
  state.assign(owned);
  owned.dispose();
}

/**
 * Gives a parameter its updated values in a new buffer. tfjs's wasm backend caches XNNPACK operators
 * with their weights packed, keyed by the tensor, so a weight changed in place would leave matmuls
 * computing with the old values.
 */
export function assignNewValues(param: tf.Variable, values: Float32Array): void {
  param.assign(tf.tensor(values, param.shape, 'float32'));
}

/**
 * Fresh storage on the wasm heap for a parameter's next values: a kernel writes it at `offset`, then
 * `assign()` hands it to the parameter (a new buffer, as {@link assignNewValues} explains).
 */
export function newParamStorage(
  backend: WasmHeapBackend,
  param: tf.Variable,
): { offset: number; assign(): void } {
  const out = backend.makeOutput(param.shape, 'float32');
  return {
    offset: heapOffset(backend, out),
    assign: () => param.assign(tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor),
  };
}
