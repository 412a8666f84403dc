import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/** COOP/COEP: the page is cross-origin isolated, so WASM can use threads (SharedArrayBuffer). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Core's browser source entry (src/browser.ts) imports its tfjs registrations (gradients, chained ops) for
 * their side effects. Through the `@nntk/source` condition Vite would drop that import chain from a module
 * it takes for side-effect free; this marks the entry as having side effects.
 */
const REGISTERING_MODULES = [/packages\/core\/src\/browser\.ts$/];

const keepRegistrations: Plugin = {
  name: 'nntk-keep-registrations',
  transform(code, id) {
    if (REGISTERING_MODULES.some((pattern) => pattern.test(id)))
      return { code, map: null, moduleSideEffects: true };
    return undefined;
  },
};

export default defineConfig({
  plugins: [keepRegistrations],
  // The @nntk/source condition resolves each workspace package to its TypeScript sources.
  resolve: {
    conditions: ['@nntk/source', ...defaultClientConditions],
  },
  // esbuild's minifier: Vite's default (oxc) renames a variable that tfjs-backend-wasm's threaded factory
  // reaches through its closure, and tfjs ships that factory to its pthread workers as source text
  // (`toString()`), so the workers fail with "e is not defined".
  build: { target: 'es2022', minify: 'esbuild', chunkSizeWarningLimit: 4096 },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
});
