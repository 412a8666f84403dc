// @nntk/core's Node entry (the `node` export condition of `@nntk/core`, and `@nntk/core/node`): the whole
// browser-safe API of ./index plus what needs Node: files (safetensors checkpoints, atomic writes), tfjs's
// threaded WASM build on worker_threads and WebGPU through Dawn.
import './install-node-runtime';

export { writeFileAtomic } from './atomic-write';
export * from './index';
export { loadSafetensors, saveSafetensors } from './safetensors-file';
