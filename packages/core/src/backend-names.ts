import type { BackendName } from './backend-types';

export interface BackendSpec {
  /** npm package that registers the backend. */
  packageName: string;
  /** Name the backend registers under in tfjs's registry. */
  tfName: string;
  /** nntk's package for the backend (kernel fixes, threads, capabilities), loaded before `packageName`. */
  pluginName?: string;
}

export const BACKENDS: Record<BackendName, BackendSpec> = {
  cpu: { packageName: '@tensorflow/tfjs-backend-cpu', tfName: 'cpu' },
  wasm: { packageName: '@tensorflow/tfjs-backend-wasm', tfName: 'wasm', pluginName: '@nntk/backend-wasm' },
  node: { packageName: '@tensorflow/tfjs-node', tfName: 'tensorflow' },
  'node-gpu': { packageName: '@tensorflow/tfjs-node-gpu', tfName: 'tensorflow' },
  webgl: { packageName: '@tensorflow/tfjs-backend-webgl', tfName: 'webgl' },
  webgpu: { packageName: '@tensorflow/tfjs-backend-webgpu', tfName: 'webgpu' },
};

/** The backend names `useBackend` accepts. */
export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];
