import * as tf from '@tensorflow/tfjs-core';
import { HEAP_KERNELS_FLAG } from './flags';
import { FUSED_KERNELS_WASM } from './fused-kernels-wasm';
import { heapKernels, type WasmHeapBackend } from './wasm-heap';

/** The kernels of fused-kernels.wat; pointers are byte offsets into tfjs's wasm heap, tensors float32. */
export interface FusedHeapKernels {
  reluBiasGrad(y: number, dy: number, dz: number, db: number, acc: number, rows: number, cols: number): void;
}

/** The kernels on the backend's memory, or undefined where they cannot run (no WASM SIMD, or {@link HEAP_KERNELS_FLAG} off). */
export function fusedHeapKernels(backend: WasmHeapBackend): FusedHeapKernels | undefined {
  return tf.env().getBool(HEAP_KERNELS_FLAG)
    ? heapKernels<FusedHeapKernels>(backend, FUSED_KERNELS_WASM)
    : undefined;
}
