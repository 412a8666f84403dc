import { importBackendPackage } from './backend';
import type { GpuAdapterInfo } from './backends/webgpu/gpu-adapter';
import { prepareWebgpu } from './backends/webgpu/prepare-webgpu';

/** Whether `useBackend('webgpu')` can work here, for `nntk doctor` and for tests that need a GPU backend. */
export interface WebgpuStatus {
  usable: boolean;
  /** The adapter it would compute on. */
  adapter?: GpuAdapterInfo;
  /** Why not, and what to install. */
  reason?: string;
}

/**
 * Probes WebGPU without switching backends: an adapter (the browser's, or Dawn's in Node) and the
 * `@tensorflow/tfjs-backend-webgpu` package. In Node this installs `navigator.gpu` as `useBackend` would.
 */
export async function webgpuStatus(): Promise<WebgpuStatus> {
  try {
    const adapter = await prepareWebgpu();
    await importBackendPackage('webgpu');
    return { usable: true, adapter };
  } catch (error) {
    return { usable: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
