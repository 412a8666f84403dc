import { FUSED_KERNELS_WASM } from './fused-kernels-wasm';
import type { WasmBackendLike } from './wasm-heap';

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

/** Tests switch `simd` off to check the JavaScript loops the SIMD kernels fall back to. */
export const fusedKernelSettings = { simd: true };

const instances = new WeakMap<WebAssembly.Memory, FusedKernels | null>();

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** tfjs's wasm memory: exported by the module (single-threaded build) or created by it (threaded). */
function tfjsMemory(backend: WasmBackendLike): WebAssembly.Memory | undefined {
  const module = backend.wasm as { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  return module.wasmMemory ?? module.asm?.memory;
}

/**
 * The fused kernels instantiated on the backend's own memory (once per memory), or undefined where they
 * cannot run (no WASM SIMD): the callers then use their JavaScript loops.
 */
export function fusedKernels(backend: WasmBackendLike): FusedKernels | undefined {
  const memory = tfjsMemory(backend);
  if (!memory || !fusedKernelSettings.simd) return undefined;
  if (!instances.has(memory)) {
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = decodeBase64(shared ? FUSED_KERNELS_WASM.shared : FUSED_KERNELS_WASM.plain);
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      instances.set(memory, instance.exports as unknown as FusedKernels);
    } catch {
      instances.set(memory, null);
    }
  }
  return instances.get(memory) ?? undefined;
}
