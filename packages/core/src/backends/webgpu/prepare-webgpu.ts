import { nodeRuntime } from '../../node-runtime';
import { describeAdapter, type GpuAdapterInfo, type GpuLike, noAdapterError } from './gpu-adapter';

let described: Promise<GpuAdapterInfo> | undefined;

async function describeNavigatorGpu(gpu: GpuLike): Promise<GpuAdapterInfo> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw noAdapterError(['navigator.gpu.requestAdapter()']);
  return describeAdapter(adapter, 'navigator', true);
}

/**
 * Makes WebGPU available before tfjs's webgpu backend loads and reports its adapter: an existing
 * `navigator.gpu` (a browser's, or one an app installed), else in Node Dawn's through the `webgpu`
 * package. Once per process.
 */
export function prepareWebgpu(): Promise<GpuAdapterInfo> {
  described ??= (() => {
    const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
    if (gpu) return describeNavigatorGpu(gpu);
    const node = nodeRuntime(); // Dawn's, in Node
    if (node) return node.installNodeWebgpu();
    return Promise.reject(noAdapterError(['navigator.gpu (this browser offers no WebGPU)']));
  })();
  described.catch(() => {
    described = undefined;
  });
  return described;
}
