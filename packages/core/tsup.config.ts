import { defineConfig } from 'tsup';
import { nntkTsupOptions } from '../../tsup.shared.ts';
import { tfjsPublicApi } from './build/tfjs-public-api.ts';

export default defineConfig([
  // The browser (and bundler) entry: tfjs's registration modules stay imports, which the app's bundler
  // resolves to the app's own @tensorflow/tfjs-core, as the @tensorflow/tfjs umbrella does. No Node
  // built-in, no shims (tsup's ESM shims import `path` and `url`).
  { ...nntkTsupOptions, entry: { index: 'src/index.ts' }, platform: 'browser' },
  // The Node entry (the `node` condition and `@nntk/core/node`). Node cannot load tfjs-core's ESM
  // registration files (extensionless imports, and tfjs-core's `main` is a CJS bundle without them), so
  // they are bundled, reading every tfjs internal they use from the app's tfjs-core
  // (build/tfjs-public-api.ts). shims: the threaded-wasm loader uses createRequire(import.meta.url).
  {
    ...nntkTsupOptions,
    entry: { node: 'src/node.ts' },
    clean: false,
    shims: true,
    noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    esbuildPlugins: [tfjsPublicApi()],
  },
]);
