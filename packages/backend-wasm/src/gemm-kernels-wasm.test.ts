import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('gemm-kernels-wasm.ts is what scripts/build-wasm-kernels.mjs assembles from gemm-kernels.wat', () => {
  const script = fileURLToPath(new URL('../../../scripts/build-wasm-kernels.mjs', import.meta.url));
  const args = [script, 'src/gemm-kernels.wat', 'GEMM_KERNELS_WASM', '--check'];
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const out = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
});
