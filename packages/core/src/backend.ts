import * as tf from '@tensorflow/tfjs-core';
import { registerBackendCapability } from './backend-capability';
import { BACKEND_NAMES, BACKENDS } from './backend-names';
import type {
  BackendCapabilityName,
  BackendFix,
  BackendInfo,
  BackendName,
  BackendPlugin,
  UseBackendOptions,
} from './backend-types';
import type { GpuAdapterInfo } from './backends/webgpu/gpu-adapter';
import { prepareWebgpu } from './backends/webgpu/prepare-webgpu';
import { NntkError } from './errors';

export type { BackendFix, BackendInfo, BackendName, BackendPlugin, UseBackendOptions };
export { BACKEND_NAMES };

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

/** Imports a package, mapping a missing one to `BACKEND_NOT_INSTALLED` with `missing` as the message. */
async function importPackage(packageName: string, missing: string): Promise<Record<string, unknown>> {
  try {
    return (await import(/* @vite-ignore */ packageName)) as Record<string, unknown>;
  } catch (error) {
    if (isModuleNotFound(error, packageName)) {
      throw new NntkError('BACKEND_NOT_INSTALLED', missing, { cause: error });
    }
    const hint = /\.node\b|native addon/.test(String(error))
      ? ` Its native addon is missing: reinstall it with its install script allowed (npm rebuild ${packageName}).`
      : '';
    throw new NntkError('BACKEND_INIT_FAILED', `Loading ${packageName} failed: ${String(error)}.${hint}`, {
      cause: error,
    });
  }
}

/** Imports a backend package, mapping a missing one to `BACKEND_NOT_INSTALLED` (internal to core). */
export async function importBackendPackage(name: BackendName): Promise<Record<string, unknown>> {
  const { packageName } = BACKENDS[name];
  return importPackage(
    packageName,
    `Backend '${name}' needs the package ${packageName}, which is not installed. ` +
      `Install it next to @tensorflow/tfjs-core (npm install ${packageName}@^4.22.0), ` +
      `or pick another backend (${BACKEND_NAMES.join(', ')}).`,
  );
}

/**
 * Imports nntk's package for a backend (`@nntk/backend-wasm` for wasm) and returns its `backendPlugin`,
 * or undefined for a backend without one (internal to core; `pluginName` is overridable for tests).
 */
export async function importBackendPlugin(
  name: BackendName,
  pluginName = BACKENDS[name].pluginName,
): Promise<BackendPlugin | undefined> {
  if (pluginName === undefined) return undefined;
  const module = await importPackage(
    pluginName,
    `Backend '${name}' needs the package ${pluginName} (nntk's kernels, fixes and threads for it), which ` +
      `is not installed. Install it next to @nntk/core: npm install ${pluginName} ` +
      `${BACKENDS[name].packageName}@^4.22.0. Or pick another backend (${BACKEND_NAMES.join(', ')}).`,
  );
  const plugin = pickExport<BackendPlugin>(module, 'backendPlugin');
  if (plugin?.backend !== name) {
    throw new NntkError(
      'BACKEND_INIT_FAILED',
      `${pluginName} exports no backendPlugin for '${name}'; install the version of it that matches @nntk/core.`,
    );
  }
  return plugin;
}

function checkedPlugin(plugin: BackendPlugin, name: BackendName): BackendPlugin {
  if (plugin.backend !== name) {
    throw new NntkError(
      'INVALID_OPTION',
      `useBackend('${name}'): option 'plugin' is the plugin of '${String(plugin.backend)}'; pass the plugin of '${name}' (import { backendPlugin } from '@nntk/backend-${name}').`,
    );
  }
  return plugin;
}

function pickExport<T>(module: Record<string, unknown>, key: string): T | undefined {
  const direct = module[key];
  if (direct !== undefined) return direct as T;
  const fallback = (module.default as Record<string, unknown> | undefined)?.[key];
  return fallback as T | undefined;
}

async function applyFixes(
  name: BackendName,
  module: Record<string, unknown>,
  plugin: BackendPlugin | undefined,
): Promise<void> {
  const done = appliedFixes.get(name) ?? [];
  appliedFixes.set(name, done);
  for (const fix of [...(plugin?.fixes ?? []), ...(fixesByBackend.get(name) ?? [])]) {
    if (done.includes(fix.name)) continue;
    await fix.apply(module);
    done.push(fix.name);
  }
}

const pluginsRegistered = new Set<BackendPlugin>();

/** Offers a plugin's capabilities, once per process (a later `registerBackendCapability` stands). */
function registerCapabilities(plugin: BackendPlugin): void {
  if (pluginsRegistered.has(plugin)) return;
  pluginsRegistered.add(plugin);
  for (const [key, impl] of Object.entries(plugin.capabilities ?? {})) {
    const name = key as BackendCapabilityName;
    if (impl !== undefined) registerBackendCapability(plugin.backend, name, impl);
  }
}

/**
 * Selects the tfjs backend every nntk package computes on. The backend package is imported lazily
 * (it is an optional peer dependency), the backend is made ready, and nntk's kernel fixes for it are
 * applied. For wasm, nntk's own package `@nntk/backend-wasm` (also an optional peer dependency) brings
 * the fixes, the threads and the fused optimizer updates (a {@link BackendPlugin}). With no name:
 * `NNTK_BACKEND`, else wasm in Node, else cpu.
 *
 * @throws NntkError `UNKNOWN_BACKEND` for a name not in {@link BACKEND_NAMES}; `BACKEND_NOT_INSTALLED`
 *   naming the npm package(s) to install.
 */
export async function useBackend(name?: BackendName, options: UseBackendOptions = {}): Promise<BackendInfo> {
  const chosen = name === undefined ? defaultBackendName() : assertBackendName(name, 'useBackend');
  const spec = BACKENDS[chosen];
  const plugin = options.plugin ? checkedPlugin(options.plugin, chosen) : await importBackendPlugin(chosen);
  // tfjs's webgpu backend registers itself at import only if navigator.gpu exists by then.
  const adapter = chosen === 'webgpu' ? await prepareWebgpu() : undefined;
  const module = options.module ?? (await importBackendPackage(chosen));
  await plugin?.configure?.(module, options);
  const start = async () => {
    const set = await tf.setBackend(spec.tfName);
    await tf.ready();
    return set;
  };
  let ok: boolean;
  try {
    ok = await (plugin?.start ? plugin.start(start) : start());
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
  const described = await plugin?.describe?.(module);
  activeThreads = described?.threads ?? 1;
  activeSimd = described?.simd ?? false;
  activeAdapter = adapter;
  if (plugin) registerCapabilities(plugin);
  await applyFixes(chosen, module, plugin);
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
