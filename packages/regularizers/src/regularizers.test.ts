import { Rng, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from '../../../fixtures/regularizers/reference.json';
import {
  cutmix,
  elasticNetPenalty,
  l1Penalty,
  l2Penalty,
  maxNorm,
  mixup,
  nonNeg,
  smoothLabels,
  unitNorm,
} from './index';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('penalties', () => {
  it('match PyTorch on fixed weights; L2 uses the ½‖w‖² convention', () => {
    const [w1, w2] = reference.weights.map((w) => tf.variable(tf.tensor(w.values, w.shape)));
    expect(l1Penalty([w1, w2], 0.3).dataSync()[0]).toBeCloseTo(0.3 * reference.l1, 5);
    expect(l2Penalty([w1, w2], 0.3).dataSync()[0]).toBeCloseTo(0.3 * reference.l2Half, 5);
    expect(elasticNetPenalty([w1, w2], 0.3, { l1Ratio: 0.25 }).dataSync()[0]).toBeCloseTo(
      0.3 * (0.25 * reference.l1 + 0.75 * reference.l2Half),
      5,
    );
    tf.dispose([w1, w2]);
  });

  it('hand-worked: w = [3, −4]: L1 = 7, ½L2 = 12.5; the L2 gradient is coeff·w', () => {
    const w = tf.variable(tf.tensor1d([3, -4]));
    expect(l1Penalty([w], 1).dataSync()[0]).toBe(7);
    expect(l2Penalty([w], 1).dataSync()[0]).toBe(12.5);
    const { value, grads } = valueAndGrads(() => l2Penalty([w], 0.1), [w]);
    expect(Array.from(grads.get(w)!.dataSync())).toEqual([0.3, -0.4].map(Math.fround));
    tf.dispose([value, ...grads.values(), w]);
  });

  it('filters parameters by name pattern (weights only, no biases or norms)', () => {
    const weight = tf.variable(tf.ones([2, 2]));
    const bias = tf.variable(tf.ones([2]));
    const named: [string, tf.Variable][] = [
      ['0.weight', weight],
      ['0.bias', bias],
      ['1.runningMean', bias],
    ];
    expect(l1Penalty(named, 1, { filter: /weight$/ }).dataSync()[0]).toBe(4);
    expect(l1Penalty(named, 1, { filter: (name) => !name.endsWith('bias') }).dataSync()[0]).toBe(6);
    tf.dispose([weight, bias]);
  });
});

describe('constraints', () => {
  it('maxNorm caps each unit’s norm, unitNorm normalises it, nonNeg clips negatives', () => {
    const w = tf.variable(
      tf.tensor2d([
        [3, 0.3],
        [4, 0.4],
      ]),
    ); // unit norms: 5 and 0.5 (columns)
    maxNorm(2)(w);
    const capped = w.arraySync() as number[][];
    expect(Math.hypot(capped[0][0], capped[1][0])).toBeCloseTo(2, 5);
    expect(Math.hypot(capped[0][1], capped[1][1])).toBeCloseTo(0.5, 5);
    unitNorm()(w);
    const unit = w.arraySync() as number[][];
    expect(Math.hypot(unit[0][1], unit[1][1])).toBeCloseTo(1, 5);
    const v = tf.variable(tf.tensor1d([-1, 2]));
    nonNeg()(v);
    expect(Array.from(v.dataSync())).toEqual([0, 2]);
    tf.dispose([w, v]);
  });
});

describe('label smoothing, mixup and cutmix', () => {
  it('smoothed targets reproduce PyTorch’s cross_entropy(label_smoothing=0.1)', () => {
    const logits = tf.tensor2d(reference.logits);
    const targets = smoothLabels(tf.tensor1d(reference.labels, 'int32'), { numClasses: 4, smoothing: 0.1 });
    const loss = tf.mean(tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)));
    expect(loss.dataSync()[0]).toBeCloseTo(reference.smoothedCrossEntropy, 5);
    tf.dispose([logits, targets, loss]);
  });

  it('mixup: deterministic under a seed, soft targets sum to 1, inputs mixed with λ', () => {
    const x = tf.tensor2d([
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
    const y = tf.tensor1d([0, 1, 2], 'int32');
    const a = mixup(x, y, { alpha: 0.4, numClasses: 3, rng: new Rng(7) });
    const b = mixup(x, y, { alpha: 0.4, numClasses: 3, rng: new Rng(7) });
    expect(a.lambda).toBe(b.lambda);
    expect(Array.from(a.x.dataSync())).toEqual(Array.from(b.x.dataSync()));
    for (const row of a.y.arraySync()) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    const xs = x.arraySync();
    const mixed = a.x.arraySync() as number[][];
    expect(mixed[0][0]).toBeCloseTo(a.lambda * xs[0][0] + (1 - a.lambda) * xs[a.permutation[0]][0], 5);
  });

  it('cutmix: λ equals the true kept-area fraction and the box holds the partner’s pixels', () => {
    const x = tf.concat([tf.zeros([1, 8, 8, 1]), tf.ones([1, 8, 8, 1])]);
    const y = tf.tensor1d([0, 1], 'int32');
    for (let s = 0; s < 10; s++) {
      const {
        x: mixed,
        y: targets,
        lambda,
        permutation,
        box,
      } = cutmix(x, y, { alpha: 1, numClasses: 2, rng: new Rng(s) });
      const [top, left, bottom, right] = box;
      expect(lambda).toBeCloseTo(1 - ((bottom - top) * (right - left)) / 64, 12);
      const first = (mixed.arraySync() as number[][][][])[0];
      const pasted = first.flat(2).reduce((sum, v) => sum + v, 0);
      expect(pasted).toBe(permutation[0] === 1 ? (bottom - top) * (right - left) : 0);
      for (const row of targets.arraySync()) expect(row[0] + row[1]).toBeCloseTo(1, 6);
      tf.dispose([mixed, targets]);
    }
  });

  it('rejects bad options', () => {
    expect(() => l1Penalty([], -1)).toThrow("l1Penalty: option 'coeff' must be a finite number >= 0, got -1");
    expect(() => smoothLabels(tf.tensor1d([0], 'int32'), { numClasses: 2, smoothing: 2 })).toThrow(
      /'smoothing' must be a number in \[0, 1\]/,
    );
    expect(() => cutmix(tf.zeros([2, 4]), tf.tensor1d([0, 1], 'int32'), { numClasses: 2 })).toThrow(
      /expected NHWC images/,
    );
  });
});
