import * as tf from '@tensorflow/tfjs-core';

/** The most threads the tfjs WASM build's thread pool accepts. */
export const MAX_WASM_THREADS = 8;

const THREADED_SCRIPT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
const THREADED_WORKER = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
const THREADED_BINARY = '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm';
const WASM_PRIORITY = 2;

interface EmscriptenWorker {
  unref(): void;
  terminate(): void;
}

interface ThreadedModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: EmscriptenWorker[]; unusedWorkers: EmscriptenWorker[] };
  tfjs?: Record<string, unknown>;
}

type ThreadedFactory = (config: Record<string, unknown>) => Promise<ThreadedModule>;
type BackendWasmClass = new (module: ThreadedModule) => tf.KernelBackend;

/** Whether this runtime can run the threaded build: Node with shared memory and WASM SIMD. */
export async function canUseNodeThreads(): Promise<boolean> {
  const isNode = typeof process !== 'undefined' && process.versions?.node != null;
  if (!isNode || typeof SharedArrayBuffer === 'undefined') return false;
  return Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
}

/** Cores this process may use (Node), at least 1. */
export async function availableCores(): Promise<number> {
  const os = await import('node:os');
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

async function nodeRequire(): Promise<NodeJS.Require> {
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url);
}

/**
 * The pthread worker script tfjs ships only as a string (for a Blob URL, which Node's `Worker` cannot
 * load). It is written once per content to the temp directory, by temp file and rename so concurrent
 * processes never see half a file.
 */
async function writeWorkerScript(contents: string): Promise<string> {
  const fs = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { createHash } = await import('node:crypto');
  // tfjs escapes newlines the same way before making its Blob: the string holds literal newlines
  // inside JavaScript string literals.
  const script = contents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `nntk-wasm-pthread-worker-${hash}.cjs`);
  if (fs.existsSync(path)) return path;
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, script);
  fs.renameSync(temporary, path);
  return path;
}

/**
 * tfjs caps the pool at `navigator.hardwareConcurrency / 2` (it assumes hyper-threading), which Node
 * answers from `os.cpus()`; the cap is read once while the module's static constructors run. For
 * that window `os.cpus()` reports twice the requested count, so the cap equals the request.
 */
async function withCoreCountFor<T>(threads: number, create: () => Promise<T>): Promise<T> {
  const os = (await import('node:os')).default;
  const realCpus = os.cpus;
  const cpus = realCpus();
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]);
  try {
    return await create();
  } finally {
    os.cpus = realCpus;
  }
}

function wrapTfjsFunctions(module: ThreadedModule): void {
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}

/**
 * Re-registers tfjs's `wasm` backend so it starts the threaded SIMD build with Node `worker_threads`
 * (tfjs switches threads off in Node: its worker script and main script are Blob URLs, which Node
 * workers cannot load). Must run before the wasm backend is first initialised.
 *
 * The pool's workers are unref'd once running, so an idle thread pool never keeps Node alive, and
 * the pre-spawned workers the pool does not use are terminated.
 */
export async function registerThreadedWasm(
  backendModule: Record<string, unknown>,
  threads: number,
): Promise<void> {
  const require = await nodeRequire();
  const factory = require(THREADED_SCRIPT) as ThreadedFactory;
  const { wasmWorkerContents } = require(THREADED_WORKER) as { wasmWorkerContents: string };
  const mainScript = require.resolve(THREADED_SCRIPT);
  const binary = require.resolve(THREADED_BINARY);
  const workerScript = await writeWorkerScript(wasmWorkerContents);
  const BackendWasm = (backendModule.BackendWasm ??
    (backendModule.default as Record<string, unknown>)?.BackendWasm) as BackendWasmClass;
  const locateFile = (path: string, prefix: string) => {
    if (path.endsWith('.worker.js')) return workerScript;
    if (path.endsWith('.wasm')) return binary;
    return prefix + path;
  };
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await withCoreCountFor(threads, () =>
        factory({ locateFile, mainScriptUrlOrBlob: mainScript }),
      );
      wrapTfjsFunctions(module);
      const backend = new BackendWasm(module);
      for (const worker of module.PThread.runningWorkers) worker.unref();
      for (const worker of module.PThread.unusedWorkers) worker.terminate();
      module.PThread.unusedWorkers = [];
      return backend;
    },
    WASM_PRIORITY,
  );
}
