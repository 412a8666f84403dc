import { NntkError } from '../../errors';

/** The GPU adapter the webgpu backend computes on, as `backendInfo().adapter` reports it. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** Dawn's or the browser's `isFallbackAdapter`: a software adapter it offers as a last resort. */
  isFallbackAdapter: boolean;
  /**
   * Computes on the CPU (Mesa llvmpipe/lavapipe, SwiftShader, or GLES with no GPU render node): its rates
   * are not a GPU's.
   */
  software: boolean;
  /** In Node, the Dawn backend in use (`NNTK_WEBGPU_BACKEND`); `'navigator'` for a browser's (or an app's) `navigator.gpu`. */
  via: 'vulkan' | 'opengles' | 'navigator';
}

/** What nntk reads of a WebGPU adapter (the part of `GPUAdapter` it needs). */
export interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/** A `navigator.gpu`-like object (Dawn's `create()` result or the browser's). */
export interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
}

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software/i;

/** Describes an adapter; `hasRenderNode` tells whether a GLES adapter can be a GPU at all. */
export function describeAdapter(
  adapter: AdapterLike,
  via: GpuAdapterInfo['via'],
  hasRenderNode: boolean,
): GpuAdapterInfo {
  const info = adapter.info ?? {};
  const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter);
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description ?? '';
  const named = SOFTWARE.test(`${vendor} ${architecture} ${description}`);
  const software = isFallbackAdapter || named || (via === 'opengles' && !hasRenderNode);
  return { vendor, architecture, description, isFallbackAdapter, software, via };
}

/** What to install when no adapter can be had, for the error and for `nntk doctor`. */
export const NO_ADAPTER_HELP =
  "Install a GPU driver with Vulkan support, or for a software adapter Mesa's EGL/GLES (Debian: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri libgles2), then pick it with NNTK_WEBGPU_BACKEND=opengles if needed";

export function noAdapterError(tried: string[]): NntkError {
  return new NntkError(
    'BACKEND_INIT_FAILED',
    `Backend 'webgpu': no WebGPU adapter (tried ${tried.join(', ')}). ${NO_ADAPTER_HELP}.`,
  );
}
