import { defineConfig, type Options } from 'tsup';

/** The build every nntk package shares: ESM + CJS + d.ts from src/index.ts, for Node 20 and browsers. */
export const nntkTsupOptions: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'es2022',
};

/** The shared build with package-specific additions (shims, bundled modules). */
export function nntkTsupConfig(overrides: Options = {}) {
  return defineConfig({ ...nntkTsupOptions, ...overrides });
}
