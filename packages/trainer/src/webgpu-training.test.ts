// Training on webgpu (Dawn in Node; CI has Mesa's software GLES): hand-written steps of an MLP and a CNN
// read nothing back synchronously (a synchronous read throws on webgpu in Node and stalls any GPU).
import { disposeGradients, seed, useBackend, valueAndGrads, webgpuStatus } from '@nntk/core';
import {
  BatchNorm1d,
  Conv2d,
  crossEntropy,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
} from '@nntk/layers';
import { AdamW } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it, vi } from 'vitest';

const status = await webgpuStatus();
if (!status.usable && process.env.CI) throw new Error(status.reason);

describe.skipIf(!status.usable)(`training steps on webgpu (${status.reason ?? 'adapter found'})`, () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  const models = {
    'MLP with BatchNorm and dropout': {
      build: () =>
        new Sequential(
          new Linear(20, 16),
          new BatchNorm1d(16),
          new ReLU(),
          new Dropout(0.1),
          new Linear(16, 3),
        ),
      input: [8, 20],
    },
    'CNN (conv, relu, max-pool, linear)': {
      build: () =>
        new Sequential(
          new Conv2d(1, 4, 3, { padding: 1 }),
          new ReLU(),
          new MaxPool2d(2),
          new Flatten(),
          new Linear(64, 3),
        ),
      input: [8, 8, 8, 1],
    },
  };
  for (const [name, { build, input }] of Object.entries(models)) {
    it(`${name}: AdamW steps with no synchronous read and no tensor growth`, async () => {
      await useBackend('webgpu');
      seed(1);
      const model = build();
      const optimizer = new AdamW(model.parameters(), { lr: 1e-2 });
      const x = tf.randomNormal(input);
      const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
      const readSync = vi.spyOn(tf.backend(), 'readSync');
      const step = () => {
        const { value, grads } = valueAndGrads(
          () => crossEntropy(model.forward(x), y) as tf.Scalar,
          model.parameters(),
        );
        optimizer.step(grads);
        disposeGradients(grads);
        return value;
      };
      const first = step();
      const counts: number[] = [];
      let last = first;
      for (let i = 0; i < 5; i++) {
        if (last !== first) last.dispose();
        last = step();
        counts.push(tf.memory().numTensors);
      }
      expect(readSync).not.toHaveBeenCalled();
      readSync.mockRestore();
      expect(new Set(counts).size).toBe(1);
      const [before, after] = await Promise.all([first.data(), last.data()]);
      expect(after[0]).toBeLessThan(before[0]);
      tf.dispose([first, last, x, y]);
      optimizer.dispose();
      model.dispose();
    });
  }
});
