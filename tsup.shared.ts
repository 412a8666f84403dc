import { defineConfig, type Options } from 'tsup';

/**
 * Prepended to every package's d.ts: the bundled declarations drop side-effect imports, and with them
 * tfjs's chained-op declarations (`x.matMul(w)`, `sum`, `sub`, `mul`, ... on `tf.Tensor`, module
 * augmentations in tfjs-core's dist/public/chained_ops) that @nntk/core registers at run time. With this
 * import a strict TypeScript consumer of any nntk package can call the methods nntk makes available.
 */
export const CHAINED_OP_TYPES =
  "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';";

/** The build every nntk package shares: ESM + CJS + d.ts from src/index.ts, for Node 20 and browsers. */
export const nntkTsupOptions: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { banner: CHAINED_OP_TYPES },
  clean: true,
  sourcemap: false,
  target: 'es2022',
};

/** The shared build with package-specific additions (shims, bundled modules). */
export function nntkTsupConfig(overrides: Options = {}) {
  return defineConfig({ ...nntkTsupOptions, ...overrides });
}
