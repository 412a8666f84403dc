import { useBackend } from '@nntk/core';
import { expect, it } from 'vitest';
import { wasmBackend } from '../wasm-heap';
import { fusedKernels } from './fused-kernels';

// This file's process runs tfjs's single-threaded build (a plain, not shared, wasm memory).
process.env.NNTK_WASM_THREADS = '1';

it('the fused SIMD kernels instantiate on the single-threaded build', async () => {
  const info = await useBackend('wasm');
  expect(info.threads).toBe(1);
  const backend = wasmBackend();
  expect(backend && fusedKernels(backend)).toBeDefined();
});
