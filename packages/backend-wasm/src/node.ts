// @nntk/backend-wasm's Node entry (the `node` export condition and `@nntk/backend-wasm/node`): the browser
// entry's API, with a plugin that also runs tfjs's threaded WASM build on worker_threads.
export * from './index';
export { backendPlugin } from './node-backend-plugin';
