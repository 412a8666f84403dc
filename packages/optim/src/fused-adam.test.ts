import { useBackend } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from './index';
import { expectFusedMatchesReference, makeProblem, trainStep } from './test-helpers';

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
    for (const simd of [true, false])
      it(`${simd ? 'SIMD kernel' : 'JavaScript loop'}, ${name} ${JSON.stringify(options)}: 25 steps within float32 rounding, no leaks`, async () => {
        await useBackend('wasm');
        const Ctor = name === 'Adam' ? Adam : AdamW;
        const betas = [...((options as { betas?: [number, number] }).betas ?? [0.9, 0.999])] as [
          number,
          number,
        ];
        expectFusedMatchesReference((params, fused) => new Ctor(params, { ...options, betas, fused }), simd);
      });
  }

  it('AdamW: N steps, save, load into a fresh optimizer, M steps equals N+M straight (bit for bit)', async () => {
    await useBackend('wasm');
    const options = { lr: 0.03, weightDecay: 0.01 };
    const straight = makeProblem();
    const opt = new AdamW([straight.W, straight.b], options);
    for (let i = 0; i < 7; i++) trainStep(opt, straight.loss, [straight.W, straight.b]);
    const resumed = makeProblem();
    const first = new AdamW([resumed.W, resumed.b], options);
    for (let i = 0; i < 3; i++) trainStep(first, resumed.loss, [resumed.W, resumed.b]);
    // The saved state shares storage with the live moments (clones do on wasm): the fused update
    // must leave the saved copy untouched.
    const saved = first.stateDict();
    const savedMoment = Array.from((Object.values(saved.state)[0].expAvg as tf.Tensor).dataSync());
    trainStep(first, resumed.loss, [resumed.W, resumed.b]);
    expect(Array.from((Object.values(saved.state)[0].expAvg as tf.Tensor).dataSync())).toEqual(savedMoment);
    first.dispose();
    const again = makeProblem();
    const second = new AdamW([again.W, again.b], options);
    for (let i = 0; i < 3; i++) trainStep(second, again.loss, [again.W, again.b]);
    second.loadStateDict(saved);
    for (let i = 0; i < 4; i++) trainStep(second, again.loss, [again.W, again.b]);
    expect(Array.from(again.W.dataSync())).toEqual(Array.from(straight.W.dataSync()));
    for (const o of [opt, second]) o.dispose();
    for (const p of [straight, resumed, again]) p.dispose();
  });
});
