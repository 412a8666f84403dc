import { mergeConfig } from 'vitest/config';
import { nntkVitestConfig } from '../../vitest.shared.ts';

// Tests import ./index (the API without side effects) and run in Node: set up what the Node entry does
// (tfjs's registrations from the app's tfjs-core; useBackend's threaded wasm and Dawn's WebGPU), as
// `import '@nntk/core'` does in Node.
export default mergeConfig(nntkVitestConfig(), {
  test: { setupFiles: ['./src/register-tfjs-node.ts', './src/install-node-runtime.ts'] },
});
