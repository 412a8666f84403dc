import { NntkError, seed, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './gru';
import { expectTrainsWithoutGrowth } from './training-check.test-helpers';

beforeAll(async () => {
  await useBackend('cpu');
  seed(0);
});

describe('GRU', () => {
  it("has PyTorch's parameter names with 3H gate blocks, and no biases with bias: false", () => {
    const gru = new GRU(3, 4, { numLayers: 2 });
    expect(gru.namedParameters().map(([k, p]) => `${k} [${p.shape}]`)).toEqual([
      'weightIh_l0 [3,12]',
      'weightHh_l0 [4,12]',
      'biasIh_l0 [12]',
      'biasHh_l0 [12]',
      'weightIh_l1 [4,12]',
      'weightHh_l1 [4,12]',
      'biasIh_l1 [12]',
      'biasHh_l1 [12]',
    ]);
    const plain = new GRU(3, 4, { bias: false, bidirectional: true });
    expect(plain.namedParameters().map(([k]) => k)).toEqual([
      'weightIh_l0',
      'weightHh_l0',
      'weightIh_l0_reverse',
      'weightHh_l0_reverse',
    ]);
    gru.dispose();
    plain.dispose();
  });

  it('returns [output, hN]; the state carries across calls as a continuation of the sequence', () => {
    const gru = new GRU(2, 3);
    const x = tf.randomNormal([6, 2, 2]);
    const [whole, hWhole] = gru.forward(x);
    const [, hFirst] = gru.forward(tf.slice(x, [0, 0, 0], [3, 2, 2]));
    const [rest, hRest] = gru.forward(tf.slice(x, [3, 0, 0], [3, 2, 2]), hFirst);
    expect(whole.shape).toEqual([6, 2, 3]);
    expect(hWhole.shape).toEqual([1, 2, 3]);
    const gap = tf.max(tf.abs(tf.sub(tf.slice(whole, [3, 0, 0], [3, 2, 3]), rest))).dataSync()[0];
    expect(gap).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(hWhole, hRest))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, whole, hWhole, hFirst, rest, hRest]);
    gru.dispose();
  });

  it('rejects unknown options with a suggestion and a wrong h0 with SHAPE_MISMATCH', () => {
    expect(() => new GRU(3, 4, JSON.parse('{"num_layers": 2}'))).toThrow(/Did you mean 'numLayers'\?/);
    expect(() => new GRU(3, 4, { numLayers: 1.5 })).toThrow(NntkError);
    const gru = new GRU(3, 4, { bidirectional: true });
    expect(() => gru.forward(tf.ones([5, 2, 3]), tf.zeros([1, 2, 4]))).toThrow(/expected h0 \[2, 2, 4\]/);
    gru.dispose();
  });

  it('trains without growing the tensor count; dispose frees it', () => {
    const gru = new GRU(2, 5, { numLayers: 2, dropout: 0.2 });
    const x = tf.randomNormal([6, 3, 2]);
    const target = tf.randomNormal([2, 3, 5]);
    expectTrainsWithoutGrowth(gru, () => tf.mean(tf.square(tf.sub(gru.forward(x)[1], target))));
    tf.dispose([x, target]);
  });
});
