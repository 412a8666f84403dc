import { defineConfig } from 'tsup';
import { nntkTsupOptions } from '../../tsup.shared.ts';

export default defineConfig([
  // The browser (and bundler) entry: tfjs's registration modules stay imports, which the app's bundler
  // resolves to the app's own @tensorflow/tfjs-core, as the @tensorflow/tfjs umbrella does. No Node
  // built-in, no shims (tsup's ESM shims import `path` and `url`).
  { ...nntkTsupOptions, entry: { index: 'src/browser.ts' }, platform: 'browser' },
  // The Node entry (the `node` condition and `@nntk/core/node`): it loads tfjs's registrations from the
  // app's tfjs-core at run time (src/tfjs-registrations), so it bundles none of tfjs. shims: the
  // registration loader and the threaded-wasm loader use createRequire(import.meta.url).
  { ...nntkTsupOptions, entry: { node: 'src/node.ts' }, clean: false, shims: true },
]);
