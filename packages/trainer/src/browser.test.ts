import type { Module, NntkError } from '@nntk/core';
import { type Batch, DataLoader, spirals } from '@nntk/datasets';
import { crossEntropy, MLP } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Callback, type CheckpointStore, type Logs, type RunStore, Trainer } from './browser';
import { useCpu } from './test-support/tiny-run';

beforeAll(async () => {
  await useCpu();
});

/** An MLP whose forward passes are counted. */
function counted(): { model: Module; calls: () => number; dispose: () => void } {
  const mlp = new MLP({ sizes: [2, 8, 3] });
  let calls = 0;
  const forward = mlp.forward.bind(mlp);
  mlp.forward = (x: tf.Tensor) => {
    calls += 1;
    return forward(x);
  };
  return { model: mlp, calls: () => calls, dispose: () => mlp.dispose() };
}

function errorOf(fn: () => unknown): NntkError {
  try {
    fn();
  } catch (error) {
    return error as NntkError;
  }
  throw new Error('expected an error');
}

describe('the browser entry Trainer (no file system)', () => {
  it('trains with metrics, numClasses from the data set, and no probe forward pass', async () => {
    const { model, calls, dispose } = counted();
    let batches = 0;
    class CountBatches extends Callback {
      override onBatchEnd(): void {
        batches += 1;
      }
    }
    const trainer = new Trainer({
      model,
      optimizer: new Adam(model.parameters(), { lr: 0.01 }),
      loss: crossEntropy,
      metrics: ['accuracy'],
      callbacks: [new CountBatches()],
    });
    const loader = new DataLoader(spirals({ n: 48, classes: 3, seed: 4 }), { batchSize: 16 });
    await trainer.fit(loader, { epochs: 1 });
    // The optimizer's state exists after the first step; from there the tensor count stays flat.
    const before = tf.memory().numTensors;
    const history = await trainer.fit(loader, { epochs: 2 });
    expect(history.epochs).toHaveLength(2);
    expect(trainer.numClasses).toBe(3);
    // One forward per training batch: nothing was run to find the class count.
    expect(batches).toBe(6);
    expect(calls()).toBe(batches);
    expect(history.epochs.map((l) => l.accuracy).every((a) => a >= 0 && a <= 1)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    dispose();
  });

  it('says what needs files: runDir, saveCheckpoint and resumeFrom', async () => {
    const model = new MLP({ sizes: [2, 2] });
    const optimizer = new Adam(model.parameters(), { lr: 0.01 });
    const noDir = errorOf(() => new Trainer({ model, optimizer, loss: crossEntropy, runDir: 'runs/a' }));
    expect(noDir.code).toBe('UNSUPPORTED');
    expect(noDir.message).toMatch(/runDir 'runs\/a' reads and writes files.*'@nntk\/trainer\/node'/);
    const trainer = new Trainer({ model, optimizer, loss: crossEntropy });
    await expect(trainer.saveCheckpoint('ckpt')).rejects.toThrow(/saveCheckpoint reads and writes files/);
    const loader = new DataLoader(spirals({ n: 8, seed: 1 }), { batchSize: 8 });
    await expect(trainer.fit(loader, { epochs: 1, resumeFrom: 'ckpt' })).rejects.toThrow(
      /resumeFrom reads and writes files/,
    );
    model.dispose();
  });

  it('a metric with no class count anywhere is an INVALID_OPTION before training', async () => {
    const model = new MLP({ sizes: [2, 2] });
    const trainer = new Trainer({
      model,
      optimizer: new Adam(model.parameters(), { lr: 0.01 }),
      loss: crossEntropy,
      metrics: ['accuracy'],
    });
    async function* batches(): AsyncGenerator<Batch> {
      yield { x: tf.zeros([2, 2]), y: tf.tensor1d([0, 1], 'int32') };
    }
    await expect(trainer.fit(batches(), { epochs: 1 })).rejects.toThrow(/pass numClasses to the Trainer/);
    expect(trainer.globalStep).toBe(0);
    const withOption = new Trainer({
      model,
      optimizer: new Adam(model.parameters(), { lr: 0.01 }),
      loss: crossEntropy,
      metrics: ['accuracy'],
      numClasses: 2,
    });
    await withOption.fit(batches(), { epochs: 1 });
    expect(withOption.history.epochs).toHaveLength(1);
    expect(
      () => new Trainer({ ...{ model, loss: crossEntropy }, optimizer: withOption.optimizer, numClasses: 0 }),
    ).toThrow(/numClasses/);
    model.dispose();
  });

  it('writes its run through the RunStore and CheckpointStore it is given', async () => {
    const model = new MLP({ sizes: [2, 4, 2] });
    const events: string[] = [];
    const epochs: Logs[][] = [];
    const runStore: RunStore = {
      dir: 'memory://run',
      lastCheckpoint: 'memory://run/last',
      begin: async (config) => {
        events.push(`begin ${JSON.stringify(config)}`);
      },
      writeEpochs: async (logs) => {
        epochs.push([...logs]);
      },
      callbacks: () => [],
    };
    const checkpointStore: CheckpointStore = {
      save: async (directory, parts) => {
        events.push(`save ${directory} epoch ${parts.state.epoch}`);
      },
      find: async () => undefined,
      removeStaleStaging: async (directory) => {
        events.push(`clean ${directory}`);
      },
    };
    const trainer = new Trainer({
      model,
      optimizer: new Adam(model.parameters(), { lr: 0.01 }),
      loss: crossEntropy,
      runStore,
      checkpointStore,
      config: { lr: 0.01 },
    });
    expect(trainer.runDir).toBe('memory://run');
    await trainer.fit(new DataLoader(spirals({ n: 16, seed: 2 }), { batchSize: 8 }), { epochs: 2 });
    expect(events).toEqual([
      'clean memory://run/last',
      'begin {"lr":0.01}',
      'save memory://run/last epoch 1',
      'save memory://run/last epoch 2',
    ]);
    expect(epochs.map((e) => e.length)).toEqual([1, 2]);
    model.dispose();
  });
});
