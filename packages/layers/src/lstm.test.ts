import { NntkError, Rng, seed, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LSTM } from './lstm';
import { expectTrainsWithoutGrowth } from './training-check.test-helpers';

beforeAll(async () => {
  await useBackend('cpu');
  seed(0);
});

describe('LSTM', () => {
  it("names its parameters after PyTorch's (weight_ih_l0 → weightIh_l0), transposed, in PyTorch's order", () => {
    const lstm = new LSTM(3, 5, { numLayers: 2, bidirectional: true });
    const shapes = Object.fromEntries(lstm.namedParameters().map(([k, p]) => [k, p.shape]));
    expect(Object.keys(shapes)).toEqual([
      'weightIh_l0',
      'weightHh_l0',
      'biasIh_l0',
      'biasHh_l0',
      'weightIh_l0_reverse',
      'weightHh_l0_reverse',
      'biasIh_l0_reverse',
      'biasHh_l0_reverse',
      'weightIh_l1',
      'weightHh_l1',
      'biasIh_l1',
      'biasHh_l1',
      'weightIh_l1_reverse',
      'weightHh_l1_reverse',
      'biasIh_l1_reverse',
      'biasHh_l1_reverse',
    ]);
    expect(shapes.weightIh_l0).toEqual([3, 20]);
    expect(shapes.weightIh_l1).toEqual([10, 20]);
    expect(shapes.weightHh_l1_reverse).toEqual([5, 20]);
    expect(lstm.parameter('biasHh_l1')).toBe(lstm.stateDict().biasHh_l1);
    expect(() => lstm.parameter('weight_ih_l0')).toThrow(
      /no parameter 'weight_ih_l0'\. Did you mean 'weightIh_l0'\?/,
    );
    // PyTorch: U(±1/√H) for every parameter.
    const bound = 1 / Math.sqrt(5);
    for (const p of lstm.parameters())
      expect(Math.max(...p.dataSync().map(Math.abs))).toBeLessThanOrEqual(bound);
    lstm.dispose();
  });

  it('returns [output, [hN, cN]] with the shapes PyTorch gives, batch-first and unbatched too', () => {
    const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
    const [output, [h, c]] = lstm.forward(tf.ones([2, 7, 3]));
    expect(output.shape).toEqual([2, 7, 8]);
    expect(h.shape).toEqual([4, 2, 4]);
    expect(c.shape).toEqual([4, 2, 4]);
    const [single, [h1]] = new LSTM(3, 4).forward(tf.ones([7, 3]));
    expect(single.shape).toEqual([7, 4]);
    expect(h1.shape).toEqual([1, 4]);
    tf.dispose([output, h, c, single, h1]);
  });

  it('the final h of the forward direction is the last output step; of the reverse, the first', () => {
    const lstm = new LSTM(2, 3, { bidirectional: true });
    const [output, [h]] = lstm.forward(tf.randomNormal([5, 1, 2]));
    const out = output.arraySync() as number[][][];
    const hN = h.arraySync() as number[][][];
    expect(hN[0][0]).toEqual(out[4][0].slice(0, 3));
    expect(hN[1][0]).toEqual(out[0][0].slice(3));
    tf.dispose([output, h]);
    lstm.dispose();
  });

  it('dropout acts between layers in training only, from the rng given', () => {
    const make = () => new LSTM(2, 4, { numLayers: 2, dropout: 0.5, rng: new Rng(3) });
    const a = make();
    const x = tf.randomNormal([6, 2, 2]);
    const [trainOut] = a.forward(x);
    a.eval();
    const [evalOut] = a.forward(x);
    const b = make();
    b.loadStateDict(a.stateDict());
    b.eval();
    const [evalB] = b.forward(x);
    expect(tf.max(tf.abs(tf.sub(trainOut, evalOut))).dataSync()[0]).toBeGreaterThan(1e-3);
    expect(Array.from(evalB.dataSync())).toEqual(Array.from(evalOut.dataSync()));
    tf.dispose([x, trainOut, evalOut, evalB]);
    a.dispose();
    b.dispose();
  });

  it('rejects bad options, unknown names and mismatched shapes with NntkError', () => {
    expect(() => new LSTM(3, 0)).toThrow(NntkError);
    expect(() => new LSTM(3, 4, { dropout: 1.5 })).toThrow(/dropout/);
    expect(() => new LSTM(3, 4, JSON.parse('{"batch_first": true}'))).toThrow(
      /unknown option 'batch_first'\. Did you mean 'batchFirst'\?/,
    );
    const lstm = new LSTM(3, 4);
    expect(() => lstm.forward(tf.ones([5, 2, 2]))).toThrow(/expected input \[L, N, 3\]/);
    expect(() => lstm.forward(tf.ones([5, 2, 3]), [tf.zeros([1, 3, 4]), tf.zeros([1, 2, 4])])).toThrow(
      /expected h0 \[1, 2, 4\], got \[1, 3, 4\]/,
    );
    lstm.dispose();
  });

  it('trains without growing the tensor count; dispose frees it', () => {
    const lstm = new LSTM(2, 6, { numLayers: 2, bidirectional: true, batchFirst: true });
    const x = tf.randomNormal([4, 5, 2]);
    const target = tf.randomNormal([4, 5, 12]);
    expectTrainsWithoutGrowth(lstm, () => tf.mean(tf.square(tf.sub(lstm.forward(x)[0], target))));
    tf.dispose([x, target]);
  });
});
