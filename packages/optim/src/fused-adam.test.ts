import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from './index';
import { makeProblem, trainStep } from './test-helpers';

// The fused wasm path (one pass over the heap per parameter) against the reference path (tfjs kernels),
// as PyTorch tests `fused=True` against its for-loop implementation.
describe('fused Adam/AdamW on wasm equals the reference path', () => {
  const settings: ['Adam' | 'AdamW', Record<string, unknown>][] = [
    ['Adam', { lr: 0.05 }],
    ['Adam', { lr: 0.02, weightDecay: 0.1, maximize: false, betas: [0.8, 0.99] }],
    ['AdamW', { lr: 0.05, weightDecay: 0.05 }],
    ['AdamW', { lr: 0.01, maximize: true }],
  ];
  for (const [name, options] of settings) {
    it(`${name} ${JSON.stringify(options)}: 25 steps within float32 rounding, no leaks`, async () => {
      await useBackend('wasm');
      const runs = [false, true].map((fused) => {
        const { W, b, loss, dispose } = makeProblem();
        const Ctor = name === 'Adam' ? Adam : AdamW;
        const opt = new Ctor([W, b], {
          ...options,
          betas: [...((options as { betas?: [number, number] }).betas ?? [0.9, 0.999])] as [number, number],
          fused,
        });
        const losses = Array.from({ length: 25 }, () => trainStep(opt, loss, [W, b]));
        const counts = tf.memory().numTensors;
        trainStep(opt, loss, [W, b]);
        expect(tf.memory().numTensors).toBe(counts);
        const result = { losses, W: Array.from(W.dataSync()) };
        opt.dispose();
        dispose();
        return result;
      });
      const [reference, fused] = runs;
      for (const [i, w] of reference.W.entries())
        expect(Math.abs(fused.W[i] - w)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(w)));
      for (const [i, l] of reference.losses.entries())
        expect(Math.abs(fused.losses[i] - l)).toBeLessThanOrEqual(1e-5 * (1 + l));
    });
  }
});
