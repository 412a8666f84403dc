import {
  backendCapability,
  type FusedOptimizerUpdates,
  registerBackendCapability,
  useBackend,
} from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW, SGD } from './index';
import type { Optimizer } from './optimizer';

/** The wasm backend's fused updates, counting the calls that go through them. */
function countingUpdates(): { updates: FusedOptimizerUpdates; calls: string[] } {
  const inner = backendCapability('fusedOptimizerUpdates');
  if (!inner) throw new Error('no fused updates on wasm');
  const calls: string[] = [];
  return {
    calls,
    updates: {
      adam: (...args) => {
        calls.push('adam');
        inner.adam(...args);
      },
      sgd: (...args) => {
        calls.push('sgd');
        inner.sgd(...args);
      },
    },
  };
}

function twoSteps(make: (params: tf.Variable[]) => Optimizer): void {
  const params = [tf.variable(tf.ones([3, 2])), tf.variable(tf.ones([2]))];
  const grads = new Map(params.map((p) => [p, tf.onesLike(p)]));
  const opt = make(params);
  opt.step(grads);
  opt.step(grads);
  opt.dispose();
  tf.dispose([...params, ...grads.values()]);
}

describe('the fused path is chosen per group, once per step, through the backend capability', () => {
  const cases: [string, (params: tf.Variable[]) => Optimizer, string[]][] = [
    ['Adam', (p) => new Adam(p, { lr: 0.1 }), ['adam', 'adam', 'adam', 'adam']],
    ['AdamW, fused: false', (p) => new AdamW(p, { lr: 0.1, fused: false }), []],
    ['Adam, amsgrad (no fused form)', (p) => new Adam(p, { lr: 0.1, amsgrad: true }), []],
    ['SGD momentum', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 }), ['sgd', 'sgd', 'sgd', 'sgd']],
    [
      'SGD, one group fused and one not',
      (p) => new SGD([{ params: [p[0]] }, { params: [p[1]], fused: false }], { lr: 0.1 }),
      ['sgd', 'sgd'],
    ],
  ];
  for (const [name, make, expected] of cases) {
    it(`${name} on wasm`, async () => {
      await useBackend('wasm');
      const { updates, calls } = countingUpdates();
      const restore = registerBackendCapability('wasm', 'fusedOptimizerUpdates', updates);
      try {
        twoSteps(make);
      } finally {
        restore();
      }
      expect(calls).toEqual(expected);
    });
  }

  it('takes the reference path on cpu, where the backend offers no fused updates', async () => {
    await useBackend('wasm');
    const { updates, calls } = countingUpdates();
    const restore = registerBackendCapability('wasm', 'fusedOptimizerUpdates', updates);
    await useBackend('cpu');
    try {
      twoSteps((p) => new Adam(p, { lr: 0.1 }));
    } finally {
      restore();
    }
    expect(calls).toEqual([]);
  });
});
