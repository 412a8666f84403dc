import * as tf from '@tensorflow/tfjs-core';
import {
  availableCores,
  canUseNodeThreads,
  MAX_WASM_THREADS,
  registerThreadedWasm,
} from './backends/wasm/node-threads';
import { withoutAddedProcessListeners } from './backends/wasm/process-listeners';
import type { GpuAdapterInfo } from './backends/webgpu/gpu-adapter';
import { prepareWebgpu } from './backends/webgpu/prepare-webgpu';
import { NntkError } from './errors';

/** Backends nntk knows how to load. */
export type BackendName = 'cpu' | 'wasm' | 'node' | 'node-gpu' | 'webgl' | 'webgpu';

interface BackendSpec {
  /** npm package that registers the backend. */
  packageName: string;
  /** Name the backend registers under in tfjs's registry. */
  tfName: string;
}

const BACKENDS: Record<BackendName, BackendSpec> = {
  cpu: { packageName: '@tensorflow/tfjs-backend-cpu', tfName: 'cpu' },
  wasm: { packageName: '@tensorflow/tfjs-backend-wasm', tfName: 'wasm' },
  node: { packageName: '@tensorflow/tfjs-node', tfName: 'tensorflow' },
  'node-gpu': { packageName: '@tensorflow/tfjs-node-gpu', tfName: 'tensorflow' },
  webgl: { packageName: '@tensorflow/tfjs-backend-webgl', tfName: 'webgl' },
  webgpu: { packageName: '@tensorflow/tfjs-backend-webgpu', tfName: 'webgpu' },
};

/** The backend names `useBackend` accepts. */
export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];

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

const fixesByBackend = new Map<BackendName, BackendFix[]>();
const appliedFixes = new Map<string, string[]>();
let activeName: BackendName | undefined;
let activeThreads = 1;
let activeSimd = false;
let activeAdapter: GpuAdapterInfo | undefined;

/** Registers a kernel fix that `useBackend(backend)` applies. This is the hook backend fixes plug into. */
export function registerBackendFix(backend: BackendName, fix: BackendFix): void {
  const list = fixesByBackend.get(backend) ?? [];
  if (!list.some((f) => f.name === fix.name)) list.push(fix);
  fixesByBackend.set(backend, list);
}

/** The backend `useBackend()` picks with no name: `NNTK_BACKEND`, else wasm in Node, else cpu. */
export function defaultBackendName(): BackendName {
  const fromEnv = typeof process !== 'undefined' ? process.env?.NNTK_BACKEND : undefined;
  if (fromEnv) return assertBackendName(fromEnv, 'NNTK_BACKEND');
  const isNode = typeof process !== 'undefined' && process.versions?.node != null;
  return isNode ? 'wasm' : 'cpu';
}

function assertBackendName(name: string, source: string): BackendName {
  if (!(name in BACKENDS)) {
    throw new NntkError(
      'UNKNOWN_BACKEND',
      `Unknown backend ${JSON.stringify(name)} (from ${source}). Valid backends: ${BACKEND_NAMES.join(', ')}.`,
    );
  }
  return name as BackendName;
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  const e = error as { code?: string; message?: string };
  const notFound = e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND';
  const message = String(e?.message ?? '');
  return (
    (notFound || /Cannot find (module|package)|Could not resolve|Failed to (resolve|load)/.test(message)) &&
    message.includes(packageName)
  );
}

/** Imports a backend package, mapping a missing one to `BACKEND_NOT_INSTALLED` (internal to core). */
export async function importBackendPackage(name: BackendName): Promise<Record<string, unknown>> {
  const { packageName } = BACKENDS[name];
  try {
    return (await import(/* @vite-ignore */ packageName)) as Record<string, unknown>;
  } catch (error) {
    if (isModuleNotFound(error, packageName)) {
      throw new NntkError(
        'BACKEND_NOT_INSTALLED',
        `Backend '${name}' needs the package ${packageName}, which is not installed. ` +
          `Install it next to @tensorflow/tfjs-core (npm install ${packageName}@^4.22.0), ` +
          `or pick another backend (${BACKEND_NAMES.join(', ')}).`,
        { cause: error },
      );
    }
    const hint = /\.node\b|native addon/.test(String(error))
      ? ` Its native addon is missing: reinstall it with its install script allowed (npm rebuild ${packageName}).`
      : '';
    throw new NntkError('BACKEND_INIT_FAILED', `Loading ${packageName} failed: ${String(error)}.${hint}`, {
      cause: error,
    });
  }
}

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

async function configureWasm(module: Record<string, unknown>, options: UseBackendOptions): Promise<void> {
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

async function readWasmInfo(module: Record<string, unknown>): Promise<void> {
  const getThreadsCount = pickExport<() => number>(module, 'getThreadsCount');
  activeThreads = getThreadsCount?.() ?? 1;
  activeSimd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
}

async function applyFixes(name: BackendName, module: Record<string, unknown>): Promise<void> {
  const done = appliedFixes.get(name) ?? [];
  for (const fix of fixesByBackend.get(name) ?? []) {
    if (done.includes(fix.name)) continue;
    await fix.apply(module);
    done.push(fix.name);
  }
  appliedFixes.set(name, done);
}

/**
 * Selects the tfjs backend every nntk package computes on. The backend package is imported lazily
 * (it is an optional peer dependency), the backend is made ready, and nntk's kernel fixes for it are
 * applied. With no name: `NNTK_BACKEND`, else wasm in Node, else cpu.
 *
 * @throws NntkError `UNKNOWN_BACKEND` for a name not in {@link BACKEND_NAMES}; `BACKEND_NOT_INSTALLED`
 *   naming the npm package to install.
 */
export async function useBackend(name?: BackendName, options: UseBackendOptions = {}): Promise<BackendInfo> {
  const chosen = name === undefined ? defaultBackendName() : assertBackendName(name, 'useBackend');
  const spec = BACKENDS[chosen];
  // tfjs's webgpu backend registers itself at import only if navigator.gpu exists by then.
  const adapter = chosen === 'webgpu' ? await prepareWebgpu() : undefined;
  const module = options.module ?? (await importBackendPackage(chosen));
  if (chosen === 'wasm') await configureWasm(module, options);
  let ok: boolean;
  try {
    ok = await withoutAddedProcessListeners(async () => {
      const set = await tf.setBackend(spec.tfName);
      await tf.ready();
      return set;
    });
  } catch (error) {
    throw new NntkError('BACKEND_INIT_FAILED', `Backend '${chosen}' failed to start: ${String(error)}`, {
      cause: error,
    });
  }
  if (!ok) {
    throw new NntkError(
      'BACKEND_INIT_FAILED',
      `Backend '${chosen}' (${spec.packageName}) is installed but could not be initialised on this platform.`,
    );
  }
  activeName = chosen;
  activeThreads = 1;
  activeSimd = false;
  activeAdapter = adapter;
  if (chosen === 'wasm') await readWasmInfo(module);
  await applyFixes(chosen, module);
  return backendInfo();
}

/** What backend nntk is computing on, with SIMD, thread count and the kernel fixes applied. */
export function backendInfo(): BackendInfo {
  const tfName = tf.getBackend();
  const name =
    activeName && BACKENDS[activeName].tfName === tfName
      ? activeName
      : (BACKEND_NAMES.find((n) => BACKENDS[n].tfName === tfName) ?? 'cpu');
  const current = name === activeName;
  return {
    name,
    tfName,
    simd: current ? activeSimd : false,
    threads: current ? activeThreads : 1,
    fixes: [...(appliedFixes.get(name) ?? [])],
    ...(current && activeAdapter ? { adapter: activeAdapter } : {}),
  };
}
