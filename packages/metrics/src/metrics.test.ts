import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import reference from '../../../fixtures/metrics/sklearn.json';
import type { Average } from './index';
import {
  accuracy,
  confusionMatrix,
  f1,
  Mean,
  MetricCollection,
  meanAbsoluteError,
  meanSquaredError,
  precision,
  r2Score,
  recall,
  topKAccuracy,
} from './index';

const c = reference.classification;
const r = reference.regression;
const lookup = reference.classification as unknown as Record<string, number | number[]>;

describe('classification metrics equal scikit-learn (zero_division = 0)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('accuracy and the confusion matrix', async () => {
    expect(await accuracy(c.predictions, c.targets)).toBeCloseTo(c.accuracy, 12);
    expect(await confusionMatrix(c.predictions, c.targets, 5)).toEqual(c.confusionMatrix);
  });

  for (const [name, fn] of [
    ['precision', precision],
    ['recall', recall],
    ['f1', f1],
  ] as const) {
    for (const average of ['macro', 'micro', 'weighted', 'none'] as Average[]) {
      it(`${name} (${average}) with a class never predicted and one absent`, async () => {
        const value = await fn(c.predictions, c.targets, { numClasses: 5, average });
        const expected = lookup[`${name}_${average}`];
        if (Array.isArray(expected))
          (value as number[]).forEach((v, i) => {
            expect(v).toBeCloseTo(expected[i], 12);
          });
        else expect(value).toBeCloseTo(expected, 12);
      });
    }
  }

  it('accepts class scores (argmax) as predictions, and streams batches to the same result', async () => {
    const scores = tf.oneHot(tf.tensor1d(c.predictions, 'int32'), 5);
    expect(await accuracy(scores, tf.tensor1d(c.targets, 'int32'))).toBeCloseTo(c.accuracy, 12);
    const collection = new MetricCollection(['accuracy', 'f1', 'confusionMatrix'], {
      numClasses: 5,
      average: 'weighted',
    });
    for (let start = 0; start < 60; start += 16)
      collection.update(c.predictions.slice(start, start + 16), c.targets.slice(start, start + 16));
    const result = await collection.compute();
    expect(result.accuracy).toBeCloseTo(c.accuracy, 12);
    expect(result.f1).toBeCloseTo(c.f1_weighted, 12);
    expect(result.confusionMatrix).toEqual(c.confusionMatrix);
    const restored = new MetricCollection(['accuracy'], { numClasses: 5 });
    restored.loadStateDict(JSON.parse(JSON.stringify(await collection.stateDict())));
    expect((await restored.compute()).accuracy).toBeCloseTo(c.accuracy, 12);
    scores.dispose();
  });

  it('top-k accuracy, hand-worked with ties broken towards the lower class', async () => {
    // Row 0: target 2 is the 2nd highest -> hit at k = 2. Row 1: all scores tie; target 3 has 3 classes
    // ranked above it (indices 0..2) -> miss at k = 2, hit at k = 4. Row 2: target 0 is the top -> hit.
    const scores = tf.tensor2d([
      [0.1, 0.5, 0.3, 0.1],
      [0.25, 0.25, 0.25, 0.25],
      [0.9, 0.05, 0.03, 0.02],
    ]);
    expect(await topKAccuracy(scores, [2, 3, 0], 1)).toBeCloseTo(1 / 3, 12);
    expect(await topKAccuracy(scores, [2, 3, 0], 2)).toBeCloseTo(2 / 3, 12);
    expect(await topKAccuracy(scores, [2, 3, 0], 4)).toBe(1);
    scores.dispose();
  });

  it('names a length mismatch and an out-of-range label', async () => {
    await expect(accuracy([1, 2], [1])).rejects.toThrow('accuracy: 2 predictions but 1 targets');
    await expect(confusionMatrix([5], [0], 3)).rejects.toThrow('confusionMatrix: label 5 is outside [0, 3)');
    const collection = new MetricCollection(['accuracy'], { numClasses: 3 });
    expect(() => collection.update([1, 2], [1])).toThrow('MetricCollection: 2 predictions but 1 targets');
    collection.dispose();
  });
});

describe('functional metrics read tensors with await data()', () => {
  it('no synchronous device read in any of them', async () => {
    await useBackend('cpu');
    const scores = tf.tensor2d([
      [0.1, 0.9],
      [0.8, 0.2],
    ]);
    const labels = tf.tensor1d([1, 1], 'int32');
    const readSync = vi.spyOn(tf.engine(), 'readSync');
    const values = await Promise.all([
      accuracy(scores, labels),
      confusionMatrix(scores, labels, 2),
      f1(scores, labels, { numClasses: 2 }),
      topKAccuracy(scores, labels, 1),
      meanSquaredError(scores, scores),
      r2Score(scores, scores),
    ]);
    expect(readSync).not.toHaveBeenCalled();
    readSync.mockRestore();
    expect(values[0]).toBe(0.5);
    expect(values[1]).toEqual([
      [0, 0],
      [1, 1],
    ]);
    tf.dispose([scores, labels]);
  });
});

describe('regression metrics equal scikit-learn', () => {
  it('mean squared and absolute errors and R²', async () => {
    const p = tf.tensor2d(r.predictions);
    const t = tf.tensor2d(r.targets);
    expect(await meanSquaredError(p, t)).toBeCloseTo(r.meanSquaredError, 6);
    expect(await meanAbsoluteError(p, t)).toBeCloseTo(r.meanAbsoluteError, 6);
    expect(await r2Score(p, t)).toBeCloseTo(r.r2Score, 6);
    tf.dispose([p, t]);
  });

  it('Mean is a weighted running mean with state', () => {
    const mean = new Mean();
    mean.update(1, 3);
    mean.update(5);
    expect(mean.compute()).toBe(2);
    const copy = new Mean();
    copy.loadStateDict(mean.stateDict());
    expect(copy.compute()).toBe(2);
  });
});
