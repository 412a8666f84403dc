import { NntkError, type UseBackendOptions } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

export function pickExport<T>(module: Record<string, unknown>, key: string): T | undefined {
  const direct = module[key];
  if (direct !== undefined) return direct as T;
  const fallback = (module.default as Record<string, unknown> | undefined)?.[key];
  return fallback as T | undefined;
}

export function checkThreads(value: unknown, source: string): number {
  const count = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new NntkError(
      'INVALID_OPTION',
      `useBackend('wasm'): ${source} must be an integer >= 1, got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return count;
}

/**
 * Sets tfjs's wasm thread count before the backend starts, where the page decides (a browser: tfjs's own
 * threads on a cross-origin-isolated page): the count the option asks for, if any. Node's threaded build
 * is set up by the Node entry's plugin (node-wasm-threads.ts).
 */
export async function configureWasmThreads(
  module: Record<string, unknown>,
  options: UseBackendOptions,
): Promise<void> {
  const setThreadsCount = pickExport<(n: number) => void>(module, 'setThreadsCount');
  if (options.threads !== undefined) setThreadsCount?.(checkThreads(options.threads, "option 'threads'"));
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
