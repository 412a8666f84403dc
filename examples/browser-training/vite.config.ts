import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/** COOP/COEP: the page is cross-origin isolated, so WASM can use threads (SharedArrayBuffer). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Core's source entry imports its tfjs registrations (gradients, chained ops) and the wasm kernel fixes
 * for their side effects, but core's `sideEffects` lists only its dist entry, so through the
 * `@nntk/source` condition the bundler drops those imports. This marks the source entry as having side
 * effects.
 */
const REGISTERING_MODULES = [/packages\/core\/src\/index\.ts$/];

/**
 * Dev server only: @nntk/datasets' entry imports Node built-ins by name at the top level (its file
 * readers), which Vite's dev server refuses to serve to a browser; each resolves to a module whose
 * functions throw, as the page never calls them. `vite build` needs none of this (it turns the same
 * imports into empty modules, with a warning per import).
 */
const NODE_BUILTINS = ['fs', 'fs/promises', 'path', 'url', 'zlib', 'crypto', 'os'];
const stub = fileURLToPath(new URL('./src/node-stubs/node-builtin.ts', import.meta.url));
const devAliases = NODE_BUILTINS.map((name) => ({ find: new RegExp(`^node:${name}$`), replacement: stub }));

const keepRegistrations: Plugin = {
  name: 'nntk-keep-registrations',
  transform(code, id) {
    if (REGISTERING_MODULES.some((pattern) => pattern.test(id)))
      return { code, map: null, moduleSideEffects: true };
    return undefined;
  },
};

export default defineConfig(({ command }) => ({
  plugins: [keepRegistrations],
  // The @nntk/source condition resolves each workspace package to its TypeScript sources.
  resolve: {
    conditions: ['@nntk/source', ...defaultClientConditions],
    alias: command === 'serve' ? devAliases : [],
  },
  // esbuild's minifier: Vite's default (oxc) renames a variable that tfjs-backend-wasm's threaded factory
  // reaches through its closure, and tfjs ships that factory to its pthread workers as source text
  // (`toString()`), so the workers fail with "e is not defined".
  build: { target: 'es2022', minify: 'esbuild', chunkSizeWarningLimit: 4096 },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
}));
