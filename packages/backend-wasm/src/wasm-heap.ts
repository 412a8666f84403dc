import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs's wasm backend that kernels working on its heap use. */
export interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  refCount(dataId: object): number;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** Base64 WebAssembly binaries of one kernel module, importing a shared or a plain `env.memory`. */
export interface HeapKernelBinaries {
  shared: string;
  plain: string;
}

/** The active backend when it is tfjs's wasm backend, else undefined. */
export function wasmBackend(): WasmHeapBackend | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend();
  return isWasmHeapBackend(backend) ? backend : undefined;
}

/** Checks the fields heap kernels read, which tfjs's `WasmBackend` does not declare publicly. */
function isWasmHeapBackend(backend: object): backend is WasmHeapBackend {
  if (!('wasm' in backend) || !('dataIdMap' in backend) || !backend.dataIdMap) return false;
  const { wasm } = backend;
  return typeof wasm === 'object' && wasm !== null && 'HEAPU8' in wasm && Boolean(wasm.HEAPU8);
}

/**
 * A float32 view of a tensor's storage on the wasm heap, without a copy, or undefined when the tensor is
 * not a float32 tensor of this backend. Take views after every allocation: an allocation can grow the heap,
 * which detaches older views.
 */
export function heapView(backend: WasmHeapBackend, t: tf.TensorInfo): Float32Array | undefined {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info || t.dtype !== 'float32') return undefined;
  const size = t.shape.reduce((a, b) => a * b, 1);
  return new Float32Array(backend.wasm.HEAPU8.buffer, info.memoryOffset, size);
}

/** Where a tensor's storage starts on the wasm heap, in bytes. */
export function heapOffset(backend: WasmHeapBackend, t: tf.TensorInfo): number {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info) throw new Error('heapOffset: the tensor is not stored on the wasm backend');
  return info.memoryOffset;
}

/** tfjs's wasm memory: exported by the module (single-threaded build) or created by it (threaded). */
function tfjsMemory(backend: WasmHeapBackend): WebAssembly.Memory | undefined {
  const module = backend.wasm as { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  return module.wasmMemory ?? module.asm?.memory;
}

const instances = new WeakMap<WebAssembly.Memory, Map<HeapKernelBinaries, unknown>>();

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * The exports of a kernel module instantiated on the backend's own memory (once per memory), so its
 * functions read and write tensors in place by heap offset; undefined where it cannot run (no WASM SIMD,
 * or no memory found), and the caller then takes its fallback path.
 */
export function heapKernels<T>(backend: WasmHeapBackend, binaries: HeapKernelBinaries): T | undefined {
  const memory = tfjsMemory(backend);
  if (!memory) return undefined;
  let modules = instances.get(memory);
  if (!modules) {
    modules = new Map();
    instances.set(memory, modules);
  }
  if (!modules.has(binaries)) {
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = decodeBase64(shared ? binaries.shared : binaries.plain);
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      modules.set(binaries, instance.exports);
    } catch {
      modules.set(binaries, undefined);
    }
  }
  return modules.get(binaries) as T | undefined;
}
