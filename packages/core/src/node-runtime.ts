import type { GpuAdapterInfo } from './backends/webgpu/gpu-adapter';

/**
 * What only Node gives nntk's backends: tfjs's threaded WASM build on `worker_threads`, the core count,
 * and WebGPU through Dawn. @nntk/core's Node entry installs it (src/install-node-runtime.ts); the browser
 * entry has none, so a browser bundle holds no Node built-in, and there `useBackend` uses what the page
 * offers (tfjs's own WASM threads on a cross-origin-isolated page, the browser's `navigator.gpu`).
 */
export interface NodeRuntime {
  /** Node with shared memory and WASM SIMD: the threaded build can run. */
  canUseNodeThreads(): Promise<boolean>;
  /** Cores this process may use, at least 1. */
  availableCores(): Promise<number>;
  /** The most threads tfjs's WASM thread pool accepts. */
  maxWasmThreads: number;
  /** Registers tfjs's threaded SIMD WASM backend with `threads` threads (before it first starts). */
  registerThreadedWasm(backendModule: Record<string, unknown>, threads: number): Promise<void>;
  /** Gives Node a `navigator.gpu` from Dawn and describes its adapter. */
  installNodeWebgpu(): Promise<GpuAdapterInfo>;
}

let installed: NodeRuntime | undefined;

/** Installs the Node runtime (done once by the Node entry). */
export function installNodeRuntime(runtime: NodeRuntime): void {
  installed = runtime;
}

/** The Node runtime, or undefined under the browser entry. */
export function nodeRuntime(): NodeRuntime | undefined {
  return installed;
}
