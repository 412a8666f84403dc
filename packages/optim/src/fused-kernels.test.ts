import { useBackend, wasmBackend } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AdamW, SGD } from './index';
import { fusedKernels } from './internal/fused-kernels';
import { makeProblem, trainStep } from './test-helpers';

// This file's process runs tfjs's single-threaded build (a plain, not shared, wasm memory); the other
// fused tests run the threaded build. The SIMD kernels must instantiate on both.
process.env.NNTK_WASM_THREADS = '1';

it('the SIMD kernels run on the single-threaded build and match the reference path', async () => {
  const info = await useBackend('wasm');
  expect(info.threads).toBe(1);
  const backend = wasmBackend();
  expect(backend).toBeDefined();
  expect(fusedKernels(backend as NonNullable<typeof backend>)).toBeDefined();
  for (const make of [
    (params: tf.Variable[], fused: boolean) => new AdamW(params, { lr: 0.05, weightDecay: 0.01, fused }),
    (params: tf.Variable[], fused: boolean) =>
      new SGD(params, { lr: 0.05, momentum: 0.9, nesterov: true, fused }),
  ]) {
    const weights = [false, true].map((fused) => {
      const { W, b, loss, dispose } = makeProblem();
      const opt = make([W, b], fused);
      for (let i = 0; i < 10; i++) trainStep(opt, loss, [W, b]);
      const values = Array.from(W.dataSync());
      opt.dispose();
      dispose();
      return values;
    });
    for (const [i, w] of weights[0].entries())
      expect(Math.abs(weights[1][i] - w)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(w)));
  }
});
