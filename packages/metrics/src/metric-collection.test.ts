import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import reference from '../../../fixtures/metrics/sklearn.json';
import { MetricCollection } from './metric-collection';

const c = reference.classification;

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`MetricCollection on ${backend}: counts on the device`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });
    afterEach(() => {
      vi.restoreAllMocks();
    });

    function batches() {
      const out: Array<[tf.Tensor, tf.Tensor]> = [];
      for (let start = 0; start < c.predictions.length; start += 16) {
        const labels = tf.tensor1d(c.predictions.slice(start, start + 16), 'int32');
        out.push([tf.oneHot(labels, 5).mul(3), tf.tensor1d(c.targets.slice(start, start + 16), 'int32')]);
        labels.dispose();
      }
      return out;
    }

    it('equals scikit-learn from tensor batches, reading the device only in compute()', async () => {
      const data = batches();
      const collection = new MetricCollection(['accuracy', 'f1', 'confusionMatrix'], {
        numClasses: 5,
        average: 'weighted',
      });
      // The cpu backend's read() goes through readSync, so both are watched during the updates only.
      const readSync = vi.spyOn(tf.backend(), 'readSync');
      const read = vi.spyOn(tf.backend(), 'read');
      const before = tf.memory().numTensors;
      for (const [scores, targets] of data) collection.update(scores, targets);
      expect(readSync).not.toHaveBeenCalled();
      expect(read).not.toHaveBeenCalled();
      // One running [C, C] tensor, whatever the number of batches.
      expect(tf.memory().numTensors).toBe(before + 1);
      const result = await collection.compute();
      expect(tf.memory().numTensors).toBe(before);
      expect(result.accuracy).toBeCloseTo(c.accuracy, 12);
      expect(result.f1).toBeCloseTo(c.f1_weighted, 12);
      expect(result.confusionMatrix).toEqual(c.confusionMatrix);
      tf.dispose(data.flat());
    });

    it('keeps counting after a read, saves the device counts in its state, and frees them', async () => {
      const data = batches();
      const collection = new MetricCollection(['confusionMatrix'], { numClasses: 5 });
      const [first, ...rest] = data;
      collection.update(...first);
      const state = await collection.stateDict();
      const resumed = new MetricCollection(['confusionMatrix'], { numClasses: 5 });
      resumed.loadStateDict(JSON.parse(JSON.stringify(state)));
      for (const batch of rest) {
        collection.update(...batch);
        resumed.update(...batch);
      }
      expect((await resumed.compute()).confusionMatrix).toEqual(c.confusionMatrix);
      expect((await collection.compute()).confusionMatrix).toEqual(c.confusionMatrix);
      const before = tf.memory().numTensors;
      collection.update(...first);
      collection.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(data.flat());
    });

    it('finds labels outside [0, numClasses) when it reads the counts', async () => {
      const collection = new MetricCollection(['accuracy'], { numClasses: 3 });
      const scores = tf.tensor2d([
        [1, 0, 0],
        [0, 1, 0],
      ]);
      const targets = tf.tensor1d([0, 7], 'int32');
      collection.update(scores, targets);
      await expect(collection.compute()).rejects.toThrow(
        'MetricCollection: 1 of 2 samples had a label outside [0, 3)',
      );
      expect(() => collection.update(scores, tf.tensor1d([0]))).toThrow('2 predictions but 1 targets');
      tf.dispose([scores, targets]);
    });
  });
}
