import { defineConfig } from 'tsup';
import { nntkTsupOptions } from '../../tsup.shared.ts';

export default defineConfig([
  { ...nntkTsupOptions, shims: true },
  {
    ...nntkTsupOptions,
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
