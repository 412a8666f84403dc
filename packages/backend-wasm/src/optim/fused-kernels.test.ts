import { useBackend } from '@nntk/core';
import { expect, it } from 'vitest';
import { wasmBackend } from '../wasm-heap';
import { fusedKernels } from './fused-kernels';

it('the fused SIMD kernels instantiate on the default build (threaded, a shared memory, with 2+ cores)', async () => {
  await useBackend('wasm');
  const backend = wasmBackend();
  expect(backend && fusedKernels(backend)).toBeDefined();
});
