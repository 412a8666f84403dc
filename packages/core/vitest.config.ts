import { mergeConfig } from 'vitest/config';
import { nntkVitestConfig } from '../../vitest.shared.ts';

// Tests import ./index (the browser-safe entry) and run in Node: give useBackend what the Node entry
// installs (threaded wasm, Dawn's WebGPU), as `import '@nntk/core'` does in Node.
export default mergeConfig(nntkVitestConfig(), { test: { setupFiles: ['./src/install-node-runtime.ts'] } });
