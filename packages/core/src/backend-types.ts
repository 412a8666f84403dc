import type { GpuAdapterInfo } from './backends/webgpu/gpu-adapter';
import type { FusedOptimizerUpdates } from './fused-optimizer-updates';

/** Backends nntk knows how to load. */
export type BackendName = 'cpu' | 'wasm' | 'node' | 'node-gpu' | 'webgl' | 'webgpu';

export interface UseBackendOptions {
  /**
   * WASM only: threads XNNPACK computes with, the calling thread included. Default: `NNTK_WASM_THREADS`,
   * else the cores available (at most 8). In Node, more than 1 starts tfjs's threaded build on
   * `worker_threads`. Fixed by the first `useBackend('wasm')` of a process; `backendInfo().threads`
   * says what is in use.
   */
  threads?: number;
  /**
   * The backend package's module, imported by the app (`import * as webgl from
   * '@tensorflow/tfjs-backend-webgl'`). nntk imports an optional backend package by name at run time,
   * which a bundled browser app cannot resolve; passing the module skips that import.
   */
  module?: Record<string, unknown>;
  /**
   * nntk's plugin for the backend, imported by the app (`import { backendPlugin } from
   * '@nntk/backend-wasm'`), for the same reason as `module`: a bundle cannot resolve the by-name import.
   */
  plugin?: BackendPlugin;
}

export interface BackendInfo {
  /** nntk's name of the active backend. */
  name: BackendName;
  /** tfjs's registry name of the active backend. */
  tfName: string;
  /** WASM SIMD in use (false on non-WASM backends). */
  simd: boolean;
  /** Threads the backend computes with (1 when single-threaded or unknown). */
  threads: number;
  /** Names of the nntk kernel fixes applied to this backend. */
  fixes: string[];
  /** webgpu only: the adapter computed on (vendor, architecture, description, software or not). */
  adapter?: GpuAdapterInfo;
}

/**
 * A kernel fix nntk applies to a backend when it is selected: a missing or wrong kernel replaced by a
 * correct one. `apply` runs once per process, after the backend is ready.
 */
export interface BackendFix {
  name: string;
  description: string;
  apply(module: Record<string, unknown>): void | Promise<void>;
}

/**
 * What a backend offers other nntk packages while it is the active backend, by name. A package asks with
 * `backendCapability(name)` and takes its reference path when the answer is undefined.
 */
export interface BackendCapabilities {
  /** One-pass optimizer updates (Adam/AdamW, SGD) on the backend's own memory; `@nntk/optim` uses them. */
  fusedOptimizerUpdates: FusedOptimizerUpdates;
}

/** The names of {@link BackendCapabilities}. */
export type BackendCapabilityName = keyof BackendCapabilities;

/**
 * An nntk backend package (such as `@nntk/backend-wasm`) as `useBackend` loads it: it exports this object
 * as `backendPlugin`. `useBackend(backend)` imports the package (an optional peer dependency), then the
 * tfjs backend package, and calls the hooks in this order: `configure`, `start` around tfjs's start,
 * `describe`; then applies `fixes` once per process and offers `capabilities` while the backend is active.
 */
export interface BackendPlugin {
  /** The nntk backend the package extends. */
  readonly backend: BackendName;
  /** Runs after the tfjs backend package is imported, before the backend starts (thread set-up). */
  configure?(tfjsModule: Record<string, unknown>, options: UseBackendOptions): Promise<void>;
  /** Wraps the backend's start (`tf.setBackend` and `tf.ready`). */
  start?<T>(run: () => Promise<T>): Promise<T>;
  /** What the started backend computes with, for `backendInfo()`. */
  describe?(tfjsModule: Record<string, unknown>): Promise<{ simd: boolean; threads: number }>;
  /** Kernel fixes applied (in order, once per process) when the backend is selected. */
  readonly fixes: readonly BackendFix[];
  /** Capabilities offered while the backend is active. */
  readonly capabilities?: Partial<BackendCapabilities>;
}
