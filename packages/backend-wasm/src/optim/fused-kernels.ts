import { heapKernels, type WasmHeapBackend } from '../wasm-heap';
import { FUSED_KERNELS_WASM } from './fused-kernels-wasm';

/** The SIMD kernels of fused-kernels.wat; pointers are byte offsets into tfjs's wasm heap. */
export interface FusedKernels {
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    out: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    stepSize: number,
    bc2Sqrt: number,
    eps: number,
    decay: number,
    l2: number,
    sign: number,
  ): void;
  sgd(
    p: number,
    g: number,
    buffer: number,
    out: number,
    n: number,
    lr: number,
    momentum: number,
    keep: number,
    weightDecay: number,
    sign: number,
    mode: number,
    first: number,
  ): void;
}

/**
 * The fused kernels instantiated on the backend's own memory (once per memory), or undefined where they
 * cannot run (no WASM SIMD): the callers then use their JavaScript loops.
 */
export function fusedKernels(backend: WasmHeapBackend): FusedKernels | undefined {
  return heapKernels<FusedKernels>(backend, FUSED_KERNELS_WASM);
}
