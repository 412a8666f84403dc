import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { seed, useBackend } from '@nntk/core';
import { DataLoader, embeddedFashionMnist, Subset, type TensorDataset } from '@nntk/datasets';
import { crossEntropy, MLP } from '@nntk/layers';
import { Adam, SGD } from '@nntk/optim';
import { polynomialDecaySparsity } from '@nntk/pruning';
import { StepLR } from '@nntk/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Callback,
  CSVLogger,
  EarlyStopping,
  JSONLLogger,
  type Logs,
  ModelCheckpoint,
  ProgressBar,
  Pruner,
  TerminateOnNaN,
  Trainer,
} from './index';

let data: TensorDataset;
let dir: string;

beforeAll(async () => {
  await useBackend('cpu');
  data = await embeddedFashionMnist();
  dir = await mkdtemp(join(tmpdir(), 'nntk-trainer-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(runDir?: string, extra: Partial<ConstructorParameters<typeof Trainer>[0]> = {}) {
  seed(123);
  const model = new MLP({ sizes: [784, 32, 10], dropout: 0.2 });
  const flat = { forward: (x: tf.Tensor) => model.forward(x.reshape([-1, 784])) };
  const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
  const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
  const trainer = new Trainer({
    model,
    optimizer,
    scheduler,
    loss: crossEntropy,
    trainStep: (batch) => {
      const output = flat.forward(batch.x);
      return { loss: crossEntropy(output, batch.y) as tf.Scalar, output };
    },
    metrics: ['accuracy'],
    runDir,
    seed: 123,
    ...extra,
  });
  trainer.numClasses = 10;
  const train = new DataLoader(
    new Subset(
      data,
      Array.from({ length: 600 }, (_, i) => i),
    ),
    { batchSize: 50, shuffle: true, seed: 9 },
  );
  const val = new DataLoader(
    new Subset(
      data,
      Array.from({ length: 200 }, (_, i) => 600 + i),
    ),
    { batchSize: 100 },
  );
  return { model, optimizer, trainer, train, val };
}

class Recorder extends Callback {
  counts: number[] = [];
  override onEpochEnd(): void {
    this.counts.push(tf.memory().numTensors);
  }
}

describe('Trainer', () => {
  it('trains with metrics and validation, and the tensor count stays flat across epochs', async () => {
    const recorder = new Recorder();
    const { model, trainer, train, val } = setup(undefined, { callbacks: [recorder] });
    const history = await trainer.fit(train, { epochs: 4, valLoader: val });
    const first = history.epochs[0];
    const last = history.epochs[3];
    expect(last.loss).toBeLessThan(first.loss);
    expect(last.val_accuracy).toBeGreaterThan(0.6);
    // `lr` is the rate the epoch trained with (the scheduler steps after the epoch's logs are taken).
    expect(last.lr).toBeCloseTo(2e-3 * 0.7 ** 3, 12);
    expect(new Set(recorder.counts.slice(1)).size).toBe(1);
    model.dispose();
  });

  it('clips gradients by norm or value without leaking a tensor per step', async () => {
    for (const gradClip of [{ maxNorm: 0.5 }, { maxValue: 0.01 }]) {
      const recorder = new Recorder();
      const { model, trainer, train } = setup(undefined, { callbacks: [recorder], gradClip });
      await trainer.fit(train, { epochs: 3 });
      expect(new Set(recorder.counts).size, JSON.stringify(gradClip)).toBe(1);
      model.dispose();
    }
  });

  it('resumes exactly: 4 epochs straight equal 2 epochs, a fresh process state, resumeFrom "last", 2 more', async () => {
    const straight = setup(join(dir, 'straight'));
    await straight.trainer.fit(straight.train, { epochs: 4, valLoader: straight.val });

    const first = setup(join(dir, 'resumed'));
    await first.trainer.fit(first.train, { epochs: 2, valLoader: first.val });
    first.model.dispose();
    seed(999); // a different global generator state, as in a new process
    const second = setup(join(dir, 'resumed'));
    const history = await second.trainer.fit(second.train, {
      epochs: 4,
      valLoader: second.val,
      resumeFrom: 'last',
    });

    for (const [key, value] of Object.entries(straight.model.stateDict())) {
      expect(Array.from(second.model.stateDict()[key].dataSync()), key).toEqual(Array.from(value.dataSync()));
    }
    const a = straight.optimizer.stateDict();
    const b = second.optimizer.stateDict();
    for (const [index, entry] of Object.entries(a.state)) {
      for (const [k, v] of Object.entries(entry)) {
        const other = (b.state as Record<string, Record<string, unknown>>)[index][k];
        if (typeof v === 'number') expect(other).toBe(v);
        else expect(Array.from((other as tf.Tensor).dataSync())).toEqual(Array.from(v.dataSync()));
      }
    }
    const strip = (logs: Logs[]) => logs.map(({ seconds, samplesPerSecond, ...rest }) => rest);
    expect(strip(history.epochs)).toEqual(strip(straight.trainer.history.epochs));
    const lines = (await readFile(join(dir, 'resumed', 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(4);
    straight.model.dispose();
    second.model.dispose();
  });

  it('Pruner drives the gradual schedule, logs sparsity, and resumes exactly (masks included)', async () => {
    const withPruner = (runDir: string) => {
      const run = setup(runDir);
      // 12 steps per epoch: prune to 70% over the first 2 epochs, every 4 steps.
      const schedule = polynomialDecaySparsity({
        initialSparsity: 0,
        finalSparsity: 0.7,
        endStep: 24,
        frequency: 4,
      });
      const recorder = new Recorder();
      run.trainer.callbacks.push(new Pruner({ model: run.model, schedule }), recorder);
      return { ...run, recorder };
    };
    const straight = withPruner(join(dir, 'pruned-straight'));
    const history = await straight.trainer.fit(straight.train, { epochs: 4, valLoader: straight.val });
    expect(history.epochs[0].sparsity).toBeGreaterThan(0.3);
    expect(history.epochs[1].sparsity).toBeGreaterThan(0.65); // endStep 24 is the first step of epoch 3
    expect(history.epochs[2].sparsity).toBeCloseTo(0.7, 3);
    expect(history.epochs[3].sparsity).toBeCloseTo(0.7, 3);
    expect(history.epochs[3].target_sparsity).toBeCloseTo(0.7, 12);
    expect(history.epochs[3].val_accuracy).toBeGreaterThan(0.55);
    expect(new Set(straight.recorder.counts.slice(1)).size).toBe(1); // no leak while pruning

    const first = withPruner(join(dir, 'pruned-resumed'));
    await first.trainer.fit(first.train, { epochs: 1, valLoader: first.val });
    first.model.dispose();
    seed(999);
    const second = withPruner(join(dir, 'pruned-resumed'));
    const resumed = await second.trainer.fit(second.train, {
      epochs: 4,
      valLoader: second.val,
      resumeFrom: 'last',
    });
    for (const [key, value] of Object.entries(straight.model.stateDict())) {
      expect(Array.from(second.model.stateDict()[key].dataSync()), key).toEqual(Array.from(value.dataSync()));
    }
    expect(Object.keys(second.model.stateDict())).toContain('0.weight_mask');
    const strip = (logs: Logs[]) => logs.map(({ seconds, samplesPerSecond, ...rest }) => rest);
    expect(strip(resumed.epochs)).toEqual(strip(history.epochs));
    straight.model.dispose();
    second.model.dispose();
  });

  it('EarlyStopping stops after patience and restores the best epoch weights', async () => {
    const sequence = [3, 1, 2, 4, 5, 6];
    const snapshots: Record<string, number[]>[] = [];
    const inject = new (class extends Callback {
      override onEpochEnd(epoch: number, logs: Logs): void {
        logs.score = sequence[epoch];
        snapshots.push(
          Object.fromEntries(
            Object.entries(this.trainer!.model.stateDict()).map(([k, v]) => [k, Array.from(v.dataSync())]),
          ),
        );
      }
    })();
    const stopping = new EarlyStopping({ monitor: 'score', patience: 1, restoreBestWeights: true });
    const { model, trainer, train } = setup(undefined, { callbacks: [inject, stopping] });
    const history = await trainer.fit(train, { epochs: 6 });
    expect(history.epochs).toHaveLength(3);
    expect(stopping.bestEpoch).toBe(1);
    for (const [key, value] of Object.entries(model.stateDict()))
      expect(Array.from(value.dataSync()), key).toEqual(snapshots[1][key]);
    model.dispose();
  });

  it('ModelCheckpoint keeps exactly the top-k by the monitored value, and last', async () => {
    const sequence = [0.5, 0.3, 0.9, 0.2, 0.4];
    const inject = new (class extends Callback {
      override onEpochEnd(epoch: number, logs: Logs): void {
        logs.score = sequence[epoch];
      }
    })();
    const checkpoints = new ModelCheckpoint({
      dir: join(dir, 'ckpt'),
      monitor: 'score',
      mode: 'min',
      saveTopK: 2,
    });
    const { model, trainer, train } = setup(undefined, { callbacks: [inject, checkpoints] });
    await trainer.fit(train, { epochs: 5 });
    expect((await readdir(join(dir, 'ckpt'))).sort()).toEqual(['epoch-0001', 'epoch-0003', 'last']);
    expect(checkpoints.bestPath).toBe(join(dir, 'ckpt', 'epoch-0003'));
    model.dispose();
  });

  it('refuses mismatched checkpoints with the keys or class that differ', async () => {
    const source = join(dir, 'straight', 'checkpoints', 'last');
    seed(1);
    const other = new MLP({ sizes: [784, 16, 10] });
    const otherTrainer = new Trainer({
      model: other,
      optimizer: new Adam(other.parameters()),
      loss: crossEntropy,
    });
    const train = new DataLoader(data, { batchSize: 100 });
    const error = await otherTrainer.fit(train, { epochs: 1, resumeFrom: source }).catch((e) => e);
    expect(error.code).toBe('STATE_DICT_MISMATCH');
    expect(error.message).toContain('0.weight: expected shape [784,16], got [784,32]');
    const model = new MLP({ sizes: [784, 32, 10], dropout: 0.2 });
    const sgdTrainer = new Trainer({
      model,
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      loss: crossEntropy,
    });
    expect(
      (await sgdTrainer.fit(train, { epochs: 1, resumeFrom: source }).catch((e) => e)).message,
    ).toContain('the checkpoint holds Adam state but the optimizer is SGD');
    expect(
      (await sgdTrainer.fit(train, { epochs: 1, resumeFrom: join(dir, 'nowhere') }).catch((e) => e)).code,
    ).toBe('FILE_NOT_FOUND');
    other.dispose();
    model.dispose();
  });

  it('TerminateOnNaN stops at the first non-finite loss; ProgressBar prints epoch lines off a TTY', async () => {
    let output = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        output += chunk.toString();
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    const nan = new TerminateOnNaN();
    const { model, trainer, train } = setup(undefined, {
      callbacks: [nan, new ProgressBar({ stream, totalEpochs: 3 })],
      trainStep: (_batch, { model: m }) => ({
        loss: tf.mul(tf.sum(m.parameters()[0]), Number.NaN) as tf.Scalar,
      }),
      metrics: [],
      nonFinite: 'ignore',
    });
    await trainer.fit(train, { epochs: 3 });
    expect(nan.terminatedAtStep).toBe(1);
    // The stop came inside epoch 1: the NaN epoch is not counted (nor printed) as complete.
    expect(trainer.history.epochs).toHaveLength(0);
    model.dispose();
    const ok = setup(undefined, { callbacks: [new ProgressBar({ stream, totalEpochs: 1 })], metrics: [] });
    await ok.trainer.fit(ok.train, { epochs: 1 });
    expect(output).toMatch(/^epoch 1\/1 {2}loss \d/);
    ok.model.dispose();
  });

  it('CSVLogger and JSONLLogger write one row per epoch', async () => {
    const csv = new CSVLogger(join(dir, 'log.csv'));
    const jsonl = new JSONLLogger(join(dir, 'log.jsonl'));
    const { model, trainer, train } = setup(undefined, { callbacks: [csv, jsonl] });
    await trainer.fit(train, { epochs: 2 });
    const csvLines = (await readFile(join(dir, 'log.csv'), 'utf8')).trim().split('\n');
    expect(csvLines).toHaveLength(3);
    expect(csvLines[0].split(',')).toContain('loss');
    const rows = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.epoch)).toEqual([0, 1]);
    model.dispose();
  });
});
