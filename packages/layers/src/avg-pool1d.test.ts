import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AvgPool1d } from './avg-pool1d';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('AvgPool1d', () => {
  it("divides as PyTorch: padding counted, ceil mode's overhang not; or real elements only", () => {
    const x = tf.tensor3d([1, 2, 3, 4, 5], [1, 5, 1]);
    const values = (pool: AvgPool1d) => Array.from(pool.forward(x).dataSync());
    // Windows [0,1,2], [2,3,4], [4,5,0]: padding counted (÷3).
    expect(values(new AvgPool1d(3, { stride: 2, padding: 1 }))).toEqual([1, 3, 3]);
    // Real elements only: ÷2, ÷3, ÷2.
    expect(values(new AvgPool1d(3, { stride: 2, padding: 1, countIncludePad: false }))).toEqual([
      1.5, 3, 4.5,
    ]);
    // Ceil mode: the last window [5] overhangs the input; PyTorch divides by 1, not 2.
    expect(values(new AvgPool1d(2, { ceilMode: true }))).toEqual([1.5, 3.5, 5]);
    x.dispose();
  });

  it('rejects typos with a suggestion', () => {
    expect(() => new AvgPool1d(2, JSON.parse('{"count_include_pad": false}'))).toThrow(
      /Did you mean 'countIncludePad'\?/,
    );
    expect(() => new AvgPool1d(2, { padding: 2 })).toThrow(/at most half the kernel/);
  });

  it('leaves no tensor behind', () => {
    const pool = new AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false });
    const x = tf.ones([2, 8, 3]);
    const before = tf.memory().numTensors;
    const grad = tf.grad((v: tf.Tensor) => tf.sum(pool.forward(v)))(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, grad]);
  });
});
