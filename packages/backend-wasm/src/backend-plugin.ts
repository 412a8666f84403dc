import type { BackendPlugin } from '@nntk/core';
import { createFusedOptimizerUpdates } from './optim/fused-optimizer-updates';
import { withoutAddedProcessListeners } from './process-listeners';
import { wasmFixes } from './register';
import { configureWasmThreads, describeWasm } from './wasm-threads-config';

/**
 * What `useBackend('wasm')` loads from this package (its browser entry; the Node entry adds threads): a start
 * that leaves Node's error reporting alone, nntk's kernel fixes, and the `fusedOptimizerUpdates`
 * capability `@nntk/optim` finds with `backendCapability`.
 */
export const backendPlugin: BackendPlugin = {
  backend: 'wasm',
  configure: configureWasmThreads,
  start: withoutAddedProcessListeners,
  describe: describeWasm,
  fixes: wasmFixes,
  capabilities: { fusedOptimizerUpdates: createFusedOptimizerUpdates() },
};
