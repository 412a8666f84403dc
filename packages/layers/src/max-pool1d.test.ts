import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MaxPool1d } from './max-pool1d';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('MaxPool1d', () => {
  it('pools windows of [N, L, C] along L, with ceil mode adding a last partial window', () => {
    const x = tf.tensor3d([1, 5, 2, 4, 3, 0, 6], [1, 7, 1]);
    expect(Array.from(new MaxPool1d(2).forward(x).dataSync())).toEqual([5, 4, 3]);
    expect(Array.from(new MaxPool1d(2, { ceilMode: true }).forward(x).dataSync())).toEqual([5, 4, 3, 6]);
    // Padding −∞ on both sides: windows [−∞,1,5], [5,2,4], [4,3,0], [0,6,−∞].
    expect(Array.from(new MaxPool1d(3, { stride: 2, padding: 1 }).forward(x).dataSync())).toEqual([
      5, 5, 4, 6,
    ]);
    x.dispose();
  });

  it('rejects bad options, typos and wrong ranks', () => {
    expect(() => new MaxPool1d(2, { padding: 2 })).toThrow(/at most half the kernel/);
    expect(() => new MaxPool1d(2, JSON.parse('{"ceil_mode": true}'))).toThrow(/Did you mean 'ceilMode'\?/);
    expect(() => new MaxPool1d(2, JSON.parse('{"dilation": 2}'))).toThrow(/unknown option 'dilation'/);
    expect(() => new MaxPool1d(2).forward(tf.ones([2, 4]))).toThrow(/\[N, L, C\]/);
  });

  it('leaves no tensor behind', () => {
    const pool = new MaxPool1d(3, { stride: 2, padding: 1, ceilMode: true });
    const x = tf.ones([2, 8, 3]);
    const before = tf.memory().numTensors;
    const grad = tf.grad((v: tf.Tensor) => tf.sum(pool.forward(v)))(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, grad]);
  });
});
