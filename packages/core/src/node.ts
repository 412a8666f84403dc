// @nntk/core's Node entry (the `node` export condition of `@nntk/core`, and `@nntk/core/node`): the whole
// browser-safe API of ./index plus what needs Node: files (safetensors checkpoints, atomic writes), tfjs's
// threaded WASM build on worker_threads and WebGPU through Dawn, and tfjs's gradient and chained-op
// registrations loaded from the app's own @tensorflow/tfjs-core.
import './register-tfjs-node';
import './install-node-runtime';

export { writeFileAtomic } from './atomic-write';
export * from './index';
export { loadSafetensors, saveSafetensors } from './safetensors-file';
