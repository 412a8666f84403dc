import { useBackend } from '@nntk/core';
import { describe, expect, it } from 'vitest';
import { SGD } from './index';
import { expectFusedMatchesReference, makeProblem, trainStep } from './test-helpers';

// The fused wasm path (one pass over the heap per parameter) against the reference path (tfjs kernels).
describe('fused SGD on wasm equals the reference path', () => {
  const settings: Record<string, unknown>[] = [
    { lr: 0.05 },
    { lr: 0.05, momentum: 0.9 },
    { lr: 0.02, momentum: 0.8, dampening: 0.3, weightDecay: 0.01 },
    { lr: 0.02, momentum: 0.9, nesterov: true, weightDecay: 0.05 },
    { lr: 0.01, momentum: 0.5, maximize: true },
  ];
  for (const options of settings) {
    for (const simd of [true, false])
      it(`${simd ? 'SIMD kernel' : 'JavaScript loop'}, ${JSON.stringify(options)}: 25 steps within float32 rounding, no leaks`, async () => {
        await useBackend('wasm');
        expectFusedMatchesReference(
          (params, fused) => new SGD(params, { ...(options as { lr: number }), fused }),
          simd,
        );
      });
  }

  it('N steps, save, load into a fresh optimizer, M steps equals N+M straight (bit for bit)', async () => {
    await useBackend('wasm');
    const options = { lr: 0.03, momentum: 0.9, nesterov: true };
    const straight = makeProblem();
    const opt = new SGD([straight.W, straight.b], options);
    for (let i = 0; i < 7; i++) trainStep(opt, straight.loss, [straight.W, straight.b]);
    const resumed = makeProblem();
    const first = new SGD([resumed.W, resumed.b], options);
    for (let i = 0; i < 3; i++) trainStep(first, resumed.loss, [resumed.W, resumed.b]);
    const saved = first.stateDict();
    first.dispose();
    const second = new SGD([resumed.W, resumed.b], options);
    second.loadStateDict(saved);
    for (let i = 0; i < 4; i++) trainStep(second, resumed.loss, [resumed.W, resumed.b]);
    expect(Array.from(resumed.W.dataSync())).toEqual(Array.from(straight.W.dataSync()));
    expect(Array.from(resumed.b.dataSync())).toEqual(Array.from(straight.b.dataSync()));
    for (const o of [opt, second]) o.dispose();
    straight.dispose();
    resumed.dispose();
  });
});
