import type { GpuAdapterInfo } from './backends/webgpu/gpu-adapter';

/**
 * What only Node gives core: WebGPU through Dawn. @nntk/core's Node entry installs it
 * (src/install-node-runtime.ts); the browser entry has none, so a browser bundle holds no Node built-in,
 * and there `useBackend('webgpu')` uses the browser's `navigator.gpu`. (Node's threaded WASM build is
 * @nntk/backend-wasm's, behind that package's own `node` condition.)
 */
export interface NodeRuntime {
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
