import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'es2022',
  // tfjs-core's Node entry registers no gradients or chained ops, and its ESM files cannot be loaded by
  // Node directly (extensionless imports), so the registration modules are bundled in, as tfjs does.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
});
