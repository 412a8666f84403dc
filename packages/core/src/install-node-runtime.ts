// Side effect of @nntk/core's Node entry: gives useBackend what only Node has (see node-runtime.ts).
import {
  availableCores,
  canUseNodeThreads,
  MAX_WASM_THREADS,
  registerThreadedWasm,
} from './backends/wasm/node-threads';
import { installNodeWebgpu } from './backends/webgpu/node-webgpu';
import { installNodeRuntime } from './node-runtime';

installNodeRuntime({
  canUseNodeThreads,
  availableCores,
  maxWasmThreads: MAX_WASM_THREADS,
  registerThreadedWasm,
  installNodeWebgpu,
});
