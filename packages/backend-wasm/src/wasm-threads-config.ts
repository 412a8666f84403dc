import { NntkError, type UseBackendOptions } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { availableCores, canUseNodeThreads, MAX_WASM_THREADS, registerThreadedWasm } from './node-threads';

function pickExport<T>(module: Record<string, unknown>, key: string): T | undefined {
  const direct = module[key];
  if (direct !== undefined) return direct as T;
  const fallback = (module.default as Record<string, unknown> | undefined)?.[key];
  return fallback as T | undefined;
}

function checkThreads(value: unknown, source: string): number {
  const count = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new NntkError(
      'INVALID_OPTION',
      `useBackend('wasm'): ${source} must be an integer >= 1, got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return count;
}

function wasmAlreadyStarted(): boolean {
  return (tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm != null;
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
export async function configureWasmThreads(
  module: Record<string, unknown>,
  options: UseBackendOptions,
): Promise<void> {
  const setThreadsCount = pickExport<(n: number) => void>(module, 'setThreadsCount');
  if (!(await canUseNodeThreads())) {
    if (options.threads !== undefined) setThreadsCount?.(checkThreads(options.threads, "option 'threads'"));
    return;
  }
  const threads = await requestedThreads(options);
  if (wasmAlreadyStarted()) return;
  if (threads > 1) await registerThreadedWasm(module, threads);
  setThreadsCount?.(threads);
}

/** The started backend's SIMD support and thread count, for `backendInfo()`. */
export async function describeWasm(
  module: Record<string, unknown>,
): Promise<{ simd: boolean; threads: number }> {
  const getThreadsCount = pickExport<() => number>(module, 'getThreadsCount');
  return {
    threads: getThreadsCount?.() ?? 1,
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
  };
}
