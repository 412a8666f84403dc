// Side effect of @nntk/core's Node entry: gives useBackend what only Node has (see node-runtime.ts).
import { installNodeWebgpu } from './backends/webgpu/node-webgpu';
import { installNodeRuntime } from './node-runtime';

installNodeRuntime({ installNodeWebgpu });
