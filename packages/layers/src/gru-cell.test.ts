import { seed, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './gru';
import { GRUCell } from './gru-cell';
import { expectTrainsWithoutGrowth } from './training-check.test-helpers';

beforeAll(async () => {
  await useBackend('cpu');
  seed(0);
});

describe('GRUCell', () => {
  it('stepping the cell over a sequence equals a one-layer GRU with the same weights', () => {
    const cell = new GRUCell(3, 4);
    const gru = new GRU(3, 4);
    for (const name of ['weightIh', 'weightHh', 'biasIh', 'biasHh'] as const) {
      gru.parameter(`${name}_l0`).assign(cell[name] as tf.Tensor);
    }
    const x = tf.randomNormal([5, 2, 3]);
    let h = tf.zeros([2, 4]);
    for (const step of tf.unstack(x)) h = cell.forward(step, h);
    const [, hN] = gru.forward(x);
    expect(tf.max(tf.abs(tf.sub(hN.squeeze([0]), h))).dataSync()[0]).toBeLessThan(1e-6);
    cell.dispose();
    gru.dispose();
  });

  it('rejects a typo and a wrong input shape', () => {
    expect(() => new GRUCell(3, 4, JSON.parse('{"Bias": false}'))).toThrow(/Did you mean 'bias'\?/);
    const cell = new GRUCell(3, 4);
    expect(() => cell.forward(tf.ones([2, 2]))).toThrow(/expected input \[N, 3\]/);
    cell.dispose();
  });

  it('trains without growing the tensor count; dispose frees it', () => {
    const cell = new GRUCell(3, 4);
    const x = tf.randomNormal([5, 3]);
    const target = tf.randomNormal([5, 4]);
    expectTrainsWithoutGrowth(cell, () => tf.mean(tf.square(tf.sub(cell.forward(x), target))));
    tf.dispose([x, target]);
  });
});
