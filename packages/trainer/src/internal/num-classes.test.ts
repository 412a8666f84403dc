import { NntkError } from '@nntk/core';
import { DataLoader, Subset, spirals, TensorDataset } from '@nntk/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../test-support/tiny-run';
import { addMetricLogs, createMetrics, numClassesOf, resolveNumClasses } from './num-classes';

beforeAll(async () => {
  await useCpu();
});

describe('numClassesOf (the class count a data set knows, without running a model)', () => {
  it('reads integer labels (max + 1) through DataLoader and Subset', () => {
    const data = spirals({ n: 30, classes: 3, seed: 1 });
    expect(numClassesOf(data)).toBe(3);
    const loader = new DataLoader(new Subset(data, [0, 3, 6]), { batchSize: 2 });
    // The subset holds only class 0; the class count is the whole data set's.
    expect(numClassesOf(loader)).toBe(3);
  });

  it('reads the width of one-hot rows and prefers a numClasses property', () => {
    const oneHot = new TensorDataset(
      { values: new Float32Array(4), shape: [2], dtype: 'float32' },
      { values: new Float32Array([1, 0, 0, 0, 0, 1, 0, 0]), shape: [4], dtype: 'float32' },
    );
    expect(numClassesOf(oneHot)).toBe(4);
    expect(numClassesOf({ numClasses: 7, y: oneHot.y })).toBe(7);
    expect(numClassesOf({ dataset: { numClasses: 5 } })).toBe(5);
  });

  it('knows nothing of float labels, a plain iterable or nothing', () => {
    const regression = new TensorDataset(
      { values: new Float32Array(3), shape: [], dtype: 'float32' },
      { values: new Float32Array([0.5, 1.5, 2]), shape: [], dtype: 'float32' },
    );
    expect(numClassesOf(regression)).toBeUndefined();
    expect(numClassesOf([])).toBeUndefined();
    expect(numClassesOf(undefined)).toBeUndefined();
  });
});

describe('resolveNumClasses', () => {
  it('prefers the option, falls back on the data, and needs nothing without metrics', () => {
    const data = spirals({ n: 20, seed: 2 });
    expect(resolveNumClasses(['accuracy'], 10, data)).toBe(10);
    expect(resolveNumClasses(['accuracy'], undefined, data)).toBe(2);
    expect(resolveNumClasses([], undefined, [])).toBeUndefined();
  });

  it('is a typed error naming the metrics and the option when neither is known', () => {
    let error: unknown;
    try {
      resolveNumClasses(['accuracy', 'f1'], undefined, (async function* () {})());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NntkError);
    expect((error as NntkError).code).toBe('INVALID_OPTION');
    expect((error as Error).message).toMatch(/metrics \(accuracy, f1\).*pass numClasses to the Trainer/);
  });
});

describe('createMetrics / addMetricLogs', () => {
  it('computes prefixed metric logs and keeps no tensor', async () => {
    expect(createMetrics([], undefined)).toBeUndefined();
    expect(() => createMetrics(['accuracy'], undefined)).toThrow(/numClasses/);
    const before = tf.memory().numTensors;
    const metrics = createMetrics(['accuracy'], 3);
    const scores = tf.tensor2d([
      [0.9, 0.05, 0.05],
      [0.1, 0.8, 0.1],
      [0.2, 0.7, 0.1],
    ]);
    const labels = tf.tensor1d([0, 1, 2], 'int32');
    metrics?.update(scores, labels);
    tf.dispose([scores, labels]);
    const logs: Record<string, number> = {};
    await addMetricLogs(logs, metrics, 'val_');
    expect(logs.val_accuracy).toBeCloseTo(2 / 3, 12);
    expect(tf.memory().numTensors).toBe(before);
  });
});
