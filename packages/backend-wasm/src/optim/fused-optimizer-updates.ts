import { type FusedOptimizerUpdates, NntkError } from '@nntk/core';
import { type WasmHeapBackend, wasmBackend } from '../wasm-heap';
import { fusedAdamUpdate } from './fused-adam';
import { type FusedKernels, fusedKernels } from './fused-kernels';
import { fusedSgdUpdate } from './fused-sgd';

export interface FusedOptimizerUpdatesOptions {
  /**
   * Run the WebAssembly SIMD kernels (fused-kernels.wat) where they instantiate. Default true; false
   * always takes the JavaScript loops they fall back to where WASM SIMD is missing (tests check those).
   */
  simd?: boolean;
}

function activeWasmBackend(): WasmHeapBackend {
  const backend = wasmBackend();
  if (!backend) {
    throw new NntkError(
      'UNSUPPORTED',
      "fusedOptimizerUpdates: the active backend is not tfjs's wasm backend; ask backendCapability() at each step",
    );
  }
  return backend;
}

/**
 * The `fusedOptimizerUpdates` backend capability on tfjs's wasm backend: Adam/AdamW and SGD updates in one
 * pass over the wasm heap. `useBackend('wasm')` registers the default one; a test can register another
 * (`registerBackendCapability('wasm', 'fusedOptimizerUpdates', createFusedOptimizerUpdates({ simd: false }))`).
 */
export function createFusedOptimizerUpdates(
  options: FusedOptimizerUpdatesOptions = {},
): FusedOptimizerUpdates {
  const simd = options.simd ?? true;
  const kernelsOn = (backend: WasmHeapBackend): FusedKernels | undefined =>
    simd ? fusedKernels(backend) : undefined;
  return {
    adam(param, grad, expAvg, expAvgSq, step) {
      const backend = activeWasmBackend();
      fusedAdamUpdate(backend, kernelsOn(backend), param, grad, expAvg, expAvgSq, step);
    },
    sgd(param, grad, buffer, step) {
      const backend = activeWasmBackend();
      fusedSgdUpdate(backend, kernelsOn(backend), param, grad, buffer, step);
    },
  };
}
