// Prints the WebGPU adapter nntk gets here and fails when it is a software one (this is a GPU check).
import { webgpuStatus } from '@nntk/core';

const status = await webgpuStatus();
if (!status.usable) {
  console.error(`no WebGPU adapter: ${status.reason}`);
  process.exit(1);
}
console.log(`adapter: ${JSON.stringify(status.adapter)}`);
if (status.adapter.software) {
  console.error('this adapter computes on the CPU: not a GPU check (is the NVIDIA Vulkan driver installed?)');
  process.exit(1);
}
