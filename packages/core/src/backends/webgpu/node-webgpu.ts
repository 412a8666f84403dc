import { NntkError } from '../../errors';
import {
  type AdapterLike,
  describeAdapter,
  type GpuAdapterInfo,
  type GpuLike,
  noAdapterError,
} from './gpu-adapter';

type DawnBackend = 'vulkan' | 'opengles';
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

const DAWN_PACKAGE = 'webgpu';
const ORDER: Record<string, DawnBackend[]> = {
  auto: ['vulkan', 'opengles'],
  vulkan: ['vulkan'],
  opengles: ['opengles'],
};

async function importDawn(): Promise<DawnModule> {
  try {
    return (await import(/* @vite-ignore */ DAWN_PACKAGE)) as DawnModule;
  } catch (error) {
    throw new NntkError(
      'BACKEND_NOT_INSTALLED',
      `Backend 'webgpu' in Node needs the package ${DAWN_PACKAGE} (Dawn's Node bindings; its binaries ship inside it): npm install ${DAWN_PACKAGE}@0.6.2. (${String(error).split('\n')[0]})`,
      { cause: error },
    );
  }
}

async function hasRenderNode(): Promise<boolean> {
  const { readdir } = await import('node:fs/promises');
  return readdir('/dev/dri').then(
    (names) => names.some((n) => n.startsWith('renderD')),
    () => false,
  );
}

function dawnBackendsToTry(): DawnBackend[] {
  const choice = (process.env.NNTK_WEBGPU_BACKEND ?? 'auto').trim().toLowerCase();
  const order = ORDER[choice];
  if (!order) {
    throw new NntkError(
      'INVALID_OPTION',
      `NNTK_WEBGPU_BACKEND must be one of ${Object.keys(ORDER).join(', ')}, got ${JSON.stringify(process.env.NNTK_WEBGPU_BACKEND)}`,
    );
  }
  return order;
}

function adapterOptions(via: DawnBackend): Record<string, unknown> {
  // Dawn's GLES backend offers only a compatibility-mode adapter; tfjs asks for powerPreference alone.
  return via === 'opengles' ? { featureLevel: 'compatibility' } : {};
}

async function findAdapter(
  dawn: DawnModule,
): Promise<{ gpu: GpuLike; via: DawnBackend; adapter: AdapterLike; info: GpuAdapterInfo }> {
  const renderNode = await hasRenderNode();
  const tried: string[] = [];
  let best: { gpu: GpuLike; via: DawnBackend; adapter: AdapterLike; info: GpuAdapterInfo } | undefined;
  for (const via of dawnBackendsToTry()) {
    // Mesa's EGL needs a platform with no display server; set before Dawn opens EGL.
    if (via === 'opengles') process.env.EGL_PLATFORM ??= 'surfaceless';
    const gpu = dawn.create([`backend=${via}`]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance', ...adapterOptions(via) });
    tried.push(via);
    if (!adapter) continue;
    const info = describeAdapter(adapter, via, renderNode);
    if (!info.software) return { gpu, via, adapter, info };
    best ??= { gpu, via, adapter, info };
  }
  if (!best) throw noAdapterError(tried);
  return best;
}

/**
 * Gives Node a `navigator.gpu` from Dawn (the `webgpu` package) before tfjs's webgpu backend is imported
 * (it registers only if `navigator.gpu` exists then). Prefers a hardware adapter and falls back to a
 * software one; `NNTK_WEBGPU_BACKEND=vulkan|opengles` picks Dawn's backend. process.
 */
export async function installNodeWebgpu(): Promise<GpuAdapterInfo> {
  const dawn = await importDawn();
  const { gpu, via, info } = await findAdapter(dawn);
  const wrapped: GpuLike = {
    requestAdapter: (options) => gpu.requestAdapter({ ...options, ...adapterOptions(via) }),
  };
  for (const [key, value] of Object.entries(dawn.globals))
    if (!(key in globalThis)) Object.assign(globalThis, { [key]: value });
  // Node 21+ has a navigator without gpu; older Node has none.
  const navigator: unknown = Reflect.get(globalThis, 'navigator');
  if (typeof navigator === 'object' && navigator !== null)
    Object.defineProperty(navigator, 'gpu', { value: wrapped, configurable: true });
  else Object.assign(globalThis, { navigator: { gpu: wrapped } });
  return info;
}
