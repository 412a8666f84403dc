export { backendPlugin } from './backend-plugin';
export { HEAP_KERNELS_FLAG, PATCH_BLOCK_FLOATS_FLAG } from './flags';
export type { FusedOptimizerUpdatesOptions } from './optim/fused-optimizer-updates';
export { createFusedOptimizerUpdates } from './optim/fused-optimizer-updates';
export type { HeapKernelBinaries, WasmHeapBackend } from './wasm-heap';
export { heapKernels, heapOffset, heapView, wasmBackend } from './wasm-heap';
