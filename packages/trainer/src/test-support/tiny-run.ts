// A tiny, sub-second training run for the crash tests:
// an MLP with dropout on 96 two-spiral points, Adam, StepLR, a shuffled DataLoader, 6 batches an epoch.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed, useBackend } from '@nntk/core';
import { DataLoader, spirals } from '@nntk/datasets';
import { crossEntropy, MLP } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import { StepLR } from '@nntk/schedulers';
import { Callback, lastCheckpointDirectory, Trainer, type TrainerOptions } from '../index';

export function tinyRun(runDir: string | undefined, extra: Partial<TrainerOptions> = {}, sizes = [2, 8, 2]) {
  // The initial weights come from the global RNG: seed it so every run starts from the same ones.
  seed(7);
  const model = new MLP({ sizes, dropout: 0.1 });
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.9 });
  const train = new DataLoader(spirals({ n: 96, seed: 5 }), { batchSize: 16, shuffle: true, seed: 11 });
  const trainer = new Trainer({
    model,
    optimizer,
    scheduler,
    loss: crossEntropy,
    metrics: ['accuracy'],
    runDir,
    seed: 7,
    ...extra,
  });
  return { model, optimizer, trainer, train };
}

/** SHA-256 of the model weights a run directory ended with (its last checkpoint). */
export function weightsDigest(runDir: string): string {
  const bytes = readFileSync(join(lastCheckpointDirectory(runDir), 'model.safetensors'));
  return createHash('sha256').update(bytes).digest('hex');
}

/** The epoch logs without wall-clock fields, for comparing runs. */
export function stripTimes(epochs: Record<string, number>[]): Record<string, number>[] {
  return epochs.map(({ seconds: _s, samplesPerSecond: _p, ...rest }) => rest);
}

/** A callback that raises `stopTraining` at a given global step. */
export class StopAtStep extends Callback {
  constructor(private readonly step: number) {
    super();
  }

  override onBatchEnd(): void {
    if (this.trainer && this.trainer.globalStep === this.step) this.trainer.stopTraining = true;
  }
}

/** A callback that runs a function at the start of every batch. */
export class OnBatchBegin extends Callback {
  constructor(private readonly fn: (batch: number) => void) {
    super();
  }

  override onBatchBegin(batch: number): void {
    this.fn(batch);
  }
}

export async function useCpu(): Promise<void> {
  await useBackend('cpu');
}
