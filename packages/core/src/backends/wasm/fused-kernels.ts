import { FUSED_KERNELS_WASM } from './fused-kernels-wasm';
import { coreHeapKernelSettings } from './heap-kernels';
import { heapKernels, type WasmHeapBackend } from './wasm-heap';

/** The kernels of fused-kernels.wat; pointers are byte offsets into tfjs's wasm heap, tensors float32. */
export interface FusedHeapKernels {
  reluBiasGrad(y: number, dy: number, dz: number, db: number, acc: number, rows: number, cols: number): void;
}

/** The kernels on the backend's memory, or undefined where they cannot run (no WASM SIMD, or switched off). */
export function fusedHeapKernels(backend: WasmHeapBackend): FusedHeapKernels | undefined {
  return coreHeapKernelSettings.enabled
    ? heapKernels<FusedHeapKernels>(backend, FUSED_KERNELS_WASM)
    : undefined;
}
