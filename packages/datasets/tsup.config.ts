import { defineConfig } from 'tsup';
import { nntkTsupOptions } from '../../tsup.shared.ts';

export default defineConfig([
  // The browser (and bundler) entry: no Node built-in (readers of files and downloads are Node's).
  { ...nntkTsupOptions, entry: { index: 'src/index.ts' }, platform: 'browser' },
  // The Node entry (the `node` condition and `@nntk/datasets/node`). shims: import.meta.url in the CJS
  // build locates the embedded data files.
  { ...nntkTsupOptions, entry: { node: 'src/node.ts' }, clean: false, shims: true },
]);
