import { backendCapability, useBackend } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AdamW, SGD } from './index';
import { makeProblem, trainStep } from './test-helpers';

// This file's process runs tfjs's single-threaded build (a plain, not shared, wasm memory); the other
// fused tests run the threaded build. The fused path must match the reference path on both
// (@nntk/backend-wasm's own tests check that the SIMD kernels instantiate on both).
process.env.NNTK_WASM_THREADS = '1';

it('the fused updates run on the single-threaded build and match the reference path', async () => {
  const info = await useBackend('wasm');
  expect(info.threads).toBe(1);
  expect(backendCapability('fusedOptimizerUpdates')).toBeDefined();
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
