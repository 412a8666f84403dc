import type { BackendPlugin } from '@nntk/core';
import { backendPlugin as browserPlugin } from './backend-plugin';
import { configureNodeWasmThreads } from './node-wasm-threads';

/**
 * The plugin of this package's Node entry: the browser one, plus tfjs's threaded SIMD build on
 * `worker_threads` (the thread count from the option, `NNTK_WASM_THREADS`, or the cores available).
 */
export const backendPlugin: BackendPlugin = { ...browserPlugin, configure: configureNodeWasmThreads };
