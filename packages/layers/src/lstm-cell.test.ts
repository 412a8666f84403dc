import { seed, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LSTM } from './lstm';
import { LSTMCell } from './lstm-cell';
import { expectTrainsWithoutGrowth } from './training-check.test-helpers';

beforeAll(async () => {
  await useBackend('cpu');
  seed(0);
});

describe('LSTMCell', () => {
  it('stepping the cell over a sequence equals a one-layer LSTM with the same weights', () => {
    const cell = new LSTMCell(3, 4);
    const lstm = new LSTM(3, 4);
    for (const name of ['weightIh', 'weightHh', 'biasIh', 'biasHh'] as const) {
      lstm.parameter(`${name}_l0`).assign(cell[name] as tf.Tensor);
    }
    const x = tf.randomNormal([5, 2, 3]);
    let state: [tf.Tensor, tf.Tensor] = [tf.zeros([2, 4]), tf.zeros([2, 4])];
    for (const step of tf.unstack(x)) state = cell.forward(step, state);
    const [, [h, c]] = lstm.forward(x);
    expect(tf.max(tf.abs(tf.sub(h.squeeze([0]), state[0]))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(c.squeeze([0]), state[1]))).dataSync()[0]).toBeLessThan(1e-6);
    cell.dispose();
    lstm.dispose();
  });

  it('rejects a typo and a wrong state shape', () => {
    expect(() => new LSTMCell(3, 4, JSON.parse('{"bais": false}'))).toThrow(/Did you mean 'bias'\?/);
    const cell = new LSTMCell(3, 4);
    expect(() => cell.forward(tf.ones([2, 3]), [tf.zeros([2, 3]), tf.zeros([2, 4])])).toThrow(/state/);
    cell.dispose();
  });

  it('trains without growing the tensor count; dispose frees it', () => {
    const cell = new LSTMCell(3, 4);
    const x = tf.randomNormal([5, 3]);
    const target = tf.randomNormal([5, 4]);
    expectTrainsWithoutGrowth(cell, () => tf.mean(tf.square(tf.sub(cell.forward(x)[0], target))));
    tf.dispose([x, target]);
  });
});
