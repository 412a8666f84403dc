import type { UseBackendOptions } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { availableCores, canUseNodeThreads, MAX_WASM_THREADS, registerThreadedWasm } from './node-threads';
import { checkThreads, configureWasmThreads, pickExport } from './wasm-threads-config';

function wasmAlreadyStarted(): boolean {
  return tf.engine().registry.wasm != null;
}

/** Threads asked for: the option, else `NNTK_WASM_THREADS`, else the cores available (capped at 8). */
async function requestedThreads(options: UseBackendOptions): Promise<number> {
  if (options.threads !== undefined) return checkThreads(options.threads, "option 'threads'");
  const fromEnv = process.env?.NNTK_WASM_THREADS;
  if (fromEnv) return checkThreads(fromEnv, 'NNTK_WASM_THREADS');
  return Math.min(await availableCores(), MAX_WASM_THREADS);
}

/**
 * Sets tfjs's wasm thread count before the backend starts: in Node with shared memory and SIMD, the
 * threaded build on `worker_threads` (fixed by the first start of a process); elsewhere the count the
 * option asks for, if any.
 */
export async function configureNodeWasmThreads(
  module: Record<string, unknown>,
  options: UseBackendOptions,
): Promise<void> {
  const setThreadsCount = pickExport<(n: number) => void>(module, 'setThreadsCount');
  if (!(await canUseNodeThreads())) return configureWasmThreads(module, options);
  const threads = await requestedThreads(options);
  if (wasmAlreadyStarted()) return;
  if (threads > 1) await registerThreadedWasm(module, threads);
  setThreadsCount?.(threads);
}
