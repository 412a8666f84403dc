import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed, useBackend } from '@nntk/core';
import { DataLoader, TensorDataset } from '@nntk/datasets';
import { Linear, mseLoss } from '@nntk/layers';
import { SGD } from '@nntk/optim';
import { StepLR } from '@nntk/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trainer } from './node-trainer';
import type { StepRecord } from './step-logger';

let dir: string;
let x: tf.Tensor;
let y: tf.Tensor;

beforeAll(async () => {
  await useBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'nntk-steps-'));
  seed(1);
  x = tf.randomNormal([12, 2]);
  y = tf.randomNormal([12, 1]);
});

afterAll(async () => {
  tf.dispose([x, y]);
  await rm(dir, { recursive: true, force: true });
});

async function fit(runDir: string, epochs: number, resume = false) {
  const model = new Linear(2, 1);
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  const trainer = new Trainer({
    model,
    optimizer,
    loss: mseLoss,
    scheduler: new StepLR(optimizer, { stepSize: 1, gamma: 0.5 }),
    schedulerInterval: 'step',
    runDir,
  });
  const loader = new DataLoader(await TensorDataset.fromTensors(x, y), { batchSize: 4 });
  await trainer.fit(loader, { epochs, resumeFrom: resume ? 'last' : undefined });
  model.dispose();
  const text = await readFile(join(runDir, 'steps.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as StepRecord);
}

describe('StepLogger (steps.jsonl of a Trainer with a runDir)', () => {
  it('records every step with its epoch, loss and the lr the step trained with', async () => {
    const steps = await fit(join(dir, 'a'), 2);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(steps.map((s) => s.epoch)).toEqual([0, 0, 0, 1, 1, 1]);
    // StepLR(gamma 0.5) stepped after every batch: step k trains with 0.1 * 0.5^(k-1).
    for (const s of steps) expect(s.lr).toBeCloseTo(0.1 * 0.5 ** (s.step - 1), 12);
    for (const s of steps) expect(Number.isFinite(s.loss)).toBe(true);
  });

  it('continues the file on resume and starts it over on a fresh run', async () => {
    const runDir = join(dir, 'b');
    await fit(runDir, 1);
    const resumed = await fit(runDir, 3, true);
    expect(resumed.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(resumed.map((s) => s.epoch)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const fresh = await fit(runDir, 1);
    expect(fresh.map((s) => s.step)).toEqual([1, 2, 3]);
  });
});
