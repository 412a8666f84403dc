import { NntkError, seed, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvTranspose2d } from './conv-transpose2d';
import { Conv2d } from './conv2d';
import { expectTrainsWithoutGrowth } from './training-check.test-helpers';

beforeAll(async () => {
  await useBackend('cpu');
  seed(0);
});

describe('ConvTranspose2d', () => {
  it('gives (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1 and a [kh, kw, out, in] kernel', () => {
    const up = new ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 });
    expect(up.weight.shape).toEqual([3, 3, 2, 4]);
    const y = up.forward(tf.ones([1, 5, 6, 4]));
    expect(y.shape).toEqual([1, 10, 12, 2]);
    y.dispose();
    up.dispose();
  });

  it('is the input gradient of the Conv2d with the same kernel (the adjoint: <conv x, y> = <x, convT y>)', () => {
    const conv = new Conv2d(2, 3, 3, { stride: 2, padding: 1, bias: false });
    const convT = new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, bias: false });
    // Conv2d's kernel is [kh, kw, in=2, out=3]; the transposed one maps 3 → 2 with the same array.
    convT.weight.assign(conv.weight);
    const x = tf.randomNormal([1, 7, 7, 2]);
    const y = tf.randomNormal([1, 4, 4, 3]);
    const lhs = tf.sum(tf.mul(conv.forward(x), y)).dataSync()[0];
    const rhs = tf.sum(tf.mul(x, convT.forward(y))).dataSync()[0];
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
    conv.dispose();
    convT.dispose();
  });

  it('rejects an outputPadding not below the stride, too much padding and unknown options', () => {
    expect(() => new ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 2 })).toThrow(
      /'outputPadding' \[2,2\] must be smaller than the stride/,
    );
    expect(() => new ConvTranspose2d(2, 2, 3, { padding: 3 })).toThrow(NntkError);
    expect(() => new ConvTranspose2d(2, 2, 3, JSON.parse('{"output_padding": 1}'))).toThrow(
      /Did you mean 'outputPadding'\?/,
    );
  });

  it('trains without growing the tensor count; dispose frees it', () => {
    const up = new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1, dilation: 1 });
    const x = tf.variable(tf.randomNormal([2, 3, 3, 2]));
    const target = tf.randomNormal([2, 6, 6, 3]);
    expectTrainsWithoutGrowth(up, () => tf.mean(tf.square(tf.sub(up.forward(x), target))));
    tf.dispose([x, target]);
  });
});
