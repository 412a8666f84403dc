import { NntkError, seed, useBackend } from '@nntk/core';
import { DataLoader, spirals } from '@nntk/datasets';
import { crossEntropy, MLP } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import { StepLR } from '@nntk/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Trainer, type TrainerOptions } from './index';
import { stripTimes } from './test-support/tiny-run';

async function fit(
  compile: boolean,
  epochs: number,
  dropout = 0,
  extra: { fused?: boolean; gradClip?: TrainerOptions['gradClip'] } = {},
) {
  seed(7);
  const model = new MLP({ sizes: [2, 12, 2], dropout });
  const optimizer = new Adam(model.parameters(), { lr: 0.01, fused: extra.fused ?? true });
  const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.9 });
  // 90 points in batches of 16: five full batches and a last one of 10 (a second shape signature).
  const loader = new DataLoader(spirals({ n: 90, seed: 5 }), { batchSize: 16, shuffle: true, seed: 11 });
  const trainer = new Trainer({
    model,
    optimizer,
    scheduler,
    loss: crossEntropy,
    metrics: ['accuracy'],
    seed: 7,
    compile,
    gradClip: extra.gradClip,
  });
  trainer.numClasses = 2;
  const counts: number[] = [];
  for (let e = 1; e <= epochs; e++) {
    await trainer.fit(loader, { epochs: e });
    counts.push(tf.memory().numTensors);
  }
  const weights = await Promise.all(
    model.parameters().map(async (p) => Array.from(new Uint32Array((await p.data()).buffer.slice(0)))),
  );
  const stats = trainer.compiled ? { ...trainer.compiled.stats } : undefined;
  optimizer.dispose();
  model.dispose();
  return { history: stripTimes(trainer.history.epochs as Record<string, number>[]), weights, counts, stats };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`Trainer compile: true on ${backend}`, () => {
    it('trains bit-identically to the uncompiled Trainer, replays, and keeps the tensor count flat', async () => {
      await useBackend(backend);
      const eager = await fit(false, 3);
      const compiled = await fit(true, 3);
      expect(compiled.history).toEqual(eager.history);
      expect(compiled.weights).toEqual(eager.weights);
      expect(new Set(compiled.counts).size).toBe(1);
      // Each fit() call frees its plans at the end, so every epoch re-traces: the full batches twice
      // (then three replays), the last, shorter batch once.
      expect(compiled.stats).toMatchObject({ traces: 9, replays: 9, eagerSteps: 0 });
      // The update is traced with the backward on both (on wasm, the fused Adam kernel is replayed).
      expect(compiled.stats).toMatchObject({ compiledUpdates: 18, eagerUpdates: 0 });
    });

    it('compiles the update with gradClip and the non-finite check (fused: false), bit-identically', async () => {
      await useBackend(backend);
      for (const gradClip of [{ maxNorm: 0.3 }, { maxValue: 0.05 }]) {
        const options = { fused: false, gradClip };
        const eager = await fit(false, 2, 0, options);
        const compiled = await fit(true, 2, 0, options);
        expect(compiled.history).toEqual(eager.history);
        expect(compiled.weights).toEqual(eager.weights);
        expect(new Set(compiled.counts).size).toBe(1);
        expect(compiled.stats).toMatchObject({ replays: 6, compiledUpdates: 12, eagerUpdates: 0 });
      }
    });
  });
}

describe('Trainer compile option', () => {
  it('runs a model with dropout eagerly, still identical, and rejects a bad value', async () => {
    await useBackend('cpu');
    const eager = await fit(false, 1, 0.2);
    const compiled = await fit(true, 1, 0.2);
    expect(compiled.weights).toEqual(eager.weights);
    expect(compiled.stats?.replays).toBe(0);
    expect(Object.values(compiled.stats?.eagerReasons ?? {})[0]).toMatch(/random generator/);
    const model = new MLP({ sizes: [2, 2] });
    const optimizer = new Adam(model.parameters());
    expect(() => new Trainer({ model, optimizer, loss: crossEntropy, compile: JSON.parse('"yes"') })).toThrow(
      NntkError,
    );
    model.dispose();
  });

  it("stops on a NaN gradient with a finite loss when the gradient check is compiled ('stop' mode)", async () => {
    await useBackend('cpu');
    const start = tf.memory().numTensors;
    seed(7);
    const model = new MLP({ sizes: [2, 8, 2] });
    const optimizer = new Adam(model.parameters(), { lr: 0.01, fused: false });
    // sqrt(o - o) is 0, a finite loss, but its gradient is NaN: only the gradient flag sees it.
    const loss = (output: tf.Tensor) =>
      tf.tidy(() => {
        const raw = tf.sum(tf.sqrt(tf.sub(output, output)));
        return tf.where(tf.isNaN(raw), tf.zerosLike(raw), raw);
      });
    const loader = new DataLoader(spirals({ n: 96, seed: 5 }), { batchSize: 16 });
    const trainer = new Trainer({ model, optimizer, loss, compile: true, nonFiniteCheckEvery: 4 });
    trainer.numClasses = 2;
    await trainer.fit(loader, { epochs: 2 });
    expect(trainer.stoppedOnNonFinite).toMatchObject({ what: 'a non-finite gradient', globalStep: 4 });
    expect(trainer.compiled?.stats).toMatchObject({ replays: 2, compiledUpdates: 4 });
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
