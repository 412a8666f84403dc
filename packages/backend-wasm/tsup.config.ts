import { defineConfig } from 'tsup';
import { nntkTsupOptions } from '../../tsup.shared.ts';

export default defineConfig([
  // The browser (and bundler) entry: no Node built-in, no shims (tsup's ESM shims import `path` and `url`).
  { ...nntkTsupOptions, entry: { index: 'src/index.ts' }, platform: 'browser' },
  // The Node entry (the `node` condition and `@nntk/backend-wasm/node`). shims: the threaded-wasm loader
  // resolves tfjs's files with createRequire(import.meta.url), also in CJS.
  { ...nntkTsupOptions, entry: { node: 'src/node.ts' }, clean: false, shims: true },
]);
