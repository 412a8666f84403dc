import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('fused-kernels-wasm.ts is what scripts/build-wasm-kernels.mjs assembles from fused-kernels.wat', () => {
  const script = fileURLToPath(new URL('../../scripts/build-wasm-kernels.mjs', import.meta.url));
  const out = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
});
