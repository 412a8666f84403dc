import { NntkError, seed, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Conv1d } from './conv1d';
import { expectTrainsWithoutGrowth } from './training-check.test-helpers';

beforeAll(async () => {
  await useBackend('cpu');
  seed(0);
});

describe('Conv1d', () => {
  it("has PyTorch's output lengths and a [k, in/groups, out] kernel", () => {
    const conv = new Conv1d(4, 6, 3, { stride: 2, padding: 1, dilation: 2, groups: 2 });
    expect(conv.weight.shape).toEqual([3, 2, 6]);
    const y = conv.forward(tf.ones([2, 11, 4]));
    // ⌊(11 + 2 − 2·2 − 1)/2⌋ + 1 = 5
    expect(y.shape).toEqual([2, 5, 6]);
    const same = new Conv1d(4, 2, 4, { padding: 'same' });
    const z = same.forward(tf.ones([1, 7, 4]));
    expect(z.shape).toEqual([1, 7, 2]);
    tf.dispose([y, z]);
    conv.dispose();
    same.dispose();
  });

  it('rejects bad options and inputs with NntkError', () => {
    expect(() => new Conv1d(3, 4, 3, { groups: 2 })).toThrow(/'groups' \(2\) must divide/);
    expect(() => new Conv1d(3, 4, 3, { padding: 'same', stride: 2 })).toThrow(/'same' needs stride 1/);
    expect(() => new Conv1d(3, 4, 0)).toThrow(NntkError);
    expect(() => new Conv1d(3, 4, 3, JSON.parse('{"padding_mode": "zeros"}'))).toThrow(
      /unknown option 'padding_mode'/,
    );
    expect(() => new Conv1d(3, 4, 3, JSON.parse('{"dilations": 2}'))).toThrow(/Did you mean 'dilation'\?/);
    const conv = new Conv1d(3, 4, 3);
    expect(() => conv.forward(tf.ones([2, 3, 5]))).toThrow(/expected input \[N, L, 3\] \(channels last\)/);
    conv.dispose();
  });

  it('trains without growing the tensor count; dispose frees it', () => {
    const conv = new Conv1d(2, 3, 3, { padding: 1 });
    const x = tf.variable(tf.randomNormal([4, 9, 2]));
    const target = tf.randomNormal([4, 9, 3]);
    expectTrainsWithoutGrowth(conv, () => tf.mean(tf.square(tf.sub(conv.forward(x), target))));
    tf.dispose([x, target]);
  });
});
