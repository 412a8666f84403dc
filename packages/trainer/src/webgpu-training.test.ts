// Training on webgpu (Dawn in Node; CI has Mesa's software GLES): hand-written steps of an MLP and a CNN
// read nothing back synchronously (a synchronous read throws on webgpu in Node and stalls any GPU).
import { disposeGradients, seed, useBackend, valueAndGrads, webgpuStatus } from '@nntk/core';
import { DataLoader, embeddedFashionMnist, Subset } from '@nntk/datasets';
import {
  BatchNorm1d,
  Conv2d,
  crossEntropy,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  MLP,
  ReLU,
  Sequential,
} from '@nntk/layers';
import { Adam, AdamW } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Trainer } from './trainer';

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

/** Two epochs of `Trainer.fit` on 300 embedded Fashion-MNIST images, the same seed on every backend. */
async function fitTwoEpochs(backend: 'cpu' | 'wasm' | 'webgpu') {
  await useBackend(backend);
  const data = await embeddedFashionMnist();
  seed(7);
  const model = new MLP({ sizes: [784, 32, 10] });
  const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
  const trainer = new Trainer({
    model,
    optimizer,
    trainStep: (batch) => {
      const output = model.forward(tf.reshape(batch.x, [-1, 784]));
      return { loss: crossEntropy(output, batch.y) as tf.Scalar, output };
    },
    metrics: ['accuracy'],
  });
  trainer.numClasses = 10;
  const indices = Array.from({ length: 300 }, (_, i) => i);
  const train = new DataLoader(new Subset(data, indices), { batchSize: 50, shuffle: true, seed: 9 });
  const readSync = vi.spyOn(tf.backend(), 'readSync');
  const history = await trainer.fit(train, { epochs: 2 });
  const syncReads = readSync.mock.calls.length;
  readSync.mockRestore();
  model.dispose();
  optimizer.dispose();
  return { losses: history.epochs.map((e) => e.loss), syncReads };
}

describe.skipIf(!status.usable)(
  `Trainer.fit on webgpu against cpu and wasm (${status.reason ?? 'adapter found'})`,
  () => {
    it('two epochs: the loss falls, the same seed gives the same losses, no synchronous read on webgpu', async () => {
      const cpu = await fitTwoEpochs('cpu');
      const wasm = await fitTwoEpochs('wasm');
      const gpu = await fitTwoEpochs('webgpu');
      await useBackend('cpu');
      expect(gpu.syncReads).toBe(0);
      for (const run of [cpu, wasm, gpu]) expect(run.losses[1]).toBeLessThan(run.losses[0]);
      for (const run of [wasm, gpu]) {
        run.losses.forEach((loss, epoch) => {
          expect(Math.abs(loss - cpu.losses[epoch]), `epoch ${epoch + 1}`).toBeLessThan(1e-4);
        });
      }
    });
  },
);
