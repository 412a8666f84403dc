import { useBackend } from '@nntk/core';
import { DataLoader, TensorDataset } from '@nntk/datasets';
import { Linear, mseLoss } from '@nntk/layers';
import { SGD } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Callback, type Logs } from './callback';
import { EarlyStopping } from './early-stopping';
import { Trainer } from './trainer';

beforeAll(async () => {
  await useBackend('cpu');
});

/** Trains a 2→1 linear model while `score` follows `sequence`; returns the EarlyStopping's log lines. */
async function fitWith(sequence: number[], options: ConstructorParameters<typeof EarlyStopping>[0]) {
  const lines: string[] = [];
  const inject = new (class extends Callback {
    override onEpochEnd(epoch: number, logs: Logs): void {
      logs.score = sequence[epoch];
    }
  })();
  const stopping = new EarlyStopping({ monitor: 'score', log: (line) => lines.push(line), ...options });
  const model = new Linear(2, 1);
  const trainer = new Trainer({
    model,
    optimizer: new SGD(model.parameters(), { lr: 0.01 }),
    loss: mseLoss,
    callbacks: [inject, stopping],
  });
  const x = tf.randomNormal([8, 2]);
  const y = tf.randomNormal([8, 1]);
  const history = await trainer.fit(new DataLoader(await TensorDataset.fromTensors(x, y), { batchSize: 4 }), {
    epochs: sequence.length,
  });
  tf.dispose([x, y]);
  model.dispose();
  return { lines, history };
}

describe('EarlyStopping', () => {
  it('says when it stopped, the best value and its epoch (from 1), and that it restored the weights', async () => {
    const { lines, history } = await fitWith([0.9, 0.5, 0.7, 0.8, 0.3], {
      patience: 2,
      restoreBestWeights: true,
    });
    expect(history.epochs).toHaveLength(4);
    expect(lines).toEqual([
      'EarlyStopping: stopped after epoch 4, score did not improve for 2 epochs; best score 0.5000 at epoch 2; restored the weights of epoch 2',
    ]);
  });

  it('says that it kept the last weights when restoreBestWeights is off', async () => {
    const { lines } = await fitWith([3e-4, 5e-4], { patience: 1 });
    expect(lines).toEqual([
      'EarlyStopping: stopped after epoch 2, score did not improve for 1 epoch; best score 3.0e-4 at epoch 1; kept the weights of epoch 2 (restoreBestWeights is off)',
    ]);
  });

  it('is silent when training ran to the end on improving values', async () => {
    expect((await fitWith([0.9, 0.5, 0.4], { patience: 1 })).lines).toEqual([]);
  });

  it('writes its line to standard error by default', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { history } = await fitWith([0.9, 0.95], { patience: 1, log: undefined });
      expect(history.epochs).toHaveLength(2);
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^EarlyStopping: stopped after epoch 2, /));
    } finally {
      write.mockRestore();
    }
  });
});
