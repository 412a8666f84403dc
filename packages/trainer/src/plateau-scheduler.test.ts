import { seed } from '@nntk/core';
import { DataLoader, spirals } from '@nntk/datasets';
import { crossEntropy, MLP } from '@nntk/layers';
import { SGD } from '@nntk/optim';
import { ReduceLROnPlateau } from '@nntk/schedulers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Trainer } from './index';
import { useCpu } from './test-support/tiny-run';

beforeAll(async () => {
  await useCpu();
});

function plateauRun(schedulerMonitor: string) {
  seed(3);
  const model = new MLP({ sizes: [2, 8, 2] });
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  // threshold 10 (relative): no epoch counts as an improvement, so with patience 0 every epoch halves lr.
  const scheduler = new ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5, threshold: 10 });
  const trainer = new Trainer({ model, optimizer, scheduler, schedulerMonitor, loss: crossEntropy });
  const train = new DataLoader(spirals({ n: 64, seed: 1 }), { batchSize: 16 });
  return { model, trainer, train, scheduler };
}

describe('ReduceLROnPlateau in the Trainer (recognised by instanceof, not by class name)', () => {
  it('is stepped with the monitored log at each epoch end', async () => {
    const { model, trainer, train, scheduler } = plateauRun('loss');
    await trainer.fit(train, { epochs: 3 });
    expect(scheduler.getLastLr()[0]).toBeLessThan(0.1 * 0.5 ** 1);
    model.dispose();
  });

  it('a monitor that is not logged is an error naming the logs', async () => {
    const { model, trainer, train } = plateauRun('val_los');
    await expect(trainer.fit(train, { epochs: 1 })).rejects.toThrow(
      /schedulerMonitor 'val_los' is not among the logs/,
    );
    model.dispose();
  });
});
