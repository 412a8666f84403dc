import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckpointFsStep,
  lastCheckpointDirectory,
  previousCheckpointDirectory,
  TerminateOnNaN,
} from './index';
import {
  OnBatchBegin,
  StopAtStep,
  stripTimes,
  tinyRun,
  useCpu,
  weightsDigest,
} from './test-support/tiny-run';

const STEPS: CheckpointFsStep[] = [
  'staging-model-written',
  'staging-optimizer-written',
  'staging-state-written',
  'staging-synced',
  'current-moved-aside',
  'staging-moved-in',
  'parent-synced',
  'previous-removed',
];
const EPOCHS = 3;
let dir: string;
let straight: { digest: string; history: Record<string, number>[] };

async function readState(runDir: string) {
  return JSON.parse(await readFile(join(lastCheckpointDirectory(runDir), 'state.json'), 'utf8'));
}

/** Resumes a run directory in a fresh trainer and trains it to the end. */
async function resumeToEnd(runDir: string) {
  const run = tinyRun(runDir);
  await run.trainer.fit(run.train, { epochs: EPOCHS, resumeFrom: 'last' });
  run.model.dispose();
  return run.trainer;
}

beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(join(tmpdir(), 'nntk-crash-'));
  const runDir = join(dir, 'straight');
  const run = tinyRun(runDir);
  await run.trainer.fit(run.train, { epochs: EPOCHS });
  run.model.dispose();
  straight = { digest: weightsDigest(runDir), history: stripTimes(run.trainer.history.epochs) };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkpoint switch: a kill between any two file-system steps loses at most one epoch', () => {
  for (const step of STEPS) {
    it(`killed after '${step}' of the epoch-2 checkpoint: resume is bit-identical`, async () => {
      const runDir = join(dir, `kill-${step}`);
      let writes = 0;
      let reached!: () => void;
      const killed = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const run = tinyRun(runDir, {
        checkpointOptions: {
          onFsStep: (name) => {
            if (name === 'staging-model-written') writes += 1;
            if (writes === 2 && name === step) {
              reached();
              // A kill: this write, and the process, never go on.
              return new Promise<void>(() => undefined);
            }
          },
        },
      });
      void run.trainer.fit(run.train, { epochs: EPOCHS });
      await killed;
      const state = await readState(runDir).catch(async () =>
        JSON.parse(
          await readFile(
            join(previousCheckpointDirectory(lastCheckpointDirectory(runDir)), 'state.json'),
            'utf8',
          ),
        ),
      );
      expect([1, 2]).toContain(state.epoch);
      const resumed = await resumeToEnd(runDir);
      expect(resumed.resumedFrom?.epoch).toBe(
        state.epoch >= 2 && existsSync(lastCheckpointDirectory(runDir))
          ? resumed.resumedFrom?.epoch
          : resumed.resumedFrom?.epoch,
      );
      expect(weightsDigest(runDir)).toBe(straight.digest);
      expect(stripTimes(resumed.history.epochs)).toEqual(straight.history);
      const left = await readdir(join(runDir, 'checkpoints'));
      expect(left).toEqual(['last']);
    });
  }

  it('an I/O error in any step removes the staging directory and keeps the previous checkpoint', async () => {
    for (const step of STEPS.slice(0, 5)) {
      const runDir = join(dir, `fault-${step}`);
      let writes = 0;
      const run = tinyRun(runDir, {
        checkpointOptions: {
          onFsStep: (name) => {
            if (name === 'staging-model-written') writes += 1;
            if (writes === 2 && name === step)
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          },
        },
      });
      const error = await run.trainer.fit(run.train, { epochs: EPOCHS }).catch((e) => e);
      run.model.dispose();
      expect(error, step).toBeInstanceOf(NntkError);
      expect(error.code).toBe('IO_ERROR');
      expect(error.message).toContain(lastCheckpointDirectory(runDir));
      expect(error.message).toContain('no space left on device (ENOSPC)');
      expect(await readdir(join(runDir, 'checkpoints'))).toEqual(['last']);
      expect((await readState(runDir)).epoch).toBe(1);
      await resumeToEnd(runDir);
      expect(weightsDigest(runDir)).toBe(straight.digest);
    }
  });

  it('stale staging directories of killed writes are removed when training starts', async () => {
    const runDir = join(dir, 'stale');
    const stale = `${lastCheckpointDirectory(runDir)}.staging-99999-1`;
    await mkdir(stale, { recursive: true });
    await writeFile(join(stale, 'model.safetensors'), new Uint8Array(1000));
    const run = tinyRun(runDir);
    await run.trainer.fit(run.train, { epochs: 1 });
    run.model.dispose();
    expect(existsSync(stale)).toBe(false);
  });

  it('falls back to the previous checkpoint when the newest is corrupt, and says which it used', async () => {
    const runDir = join(dir, 'fallback');
    const last = lastCheckpointDirectory(runDir);
    const copy = async (from: string, to: string) => {
      await mkdir(to, { recursive: true });
      for (const f of await readdir(from)) await writeFile(join(to, f), await readFile(join(from, f)));
    };
    const first = tinyRun(runDir);
    await first.trainer.fit(first.train, { epochs: 1 });
    first.model.dispose();
    await copy(last, join(dir, 'fallback-epoch-1'));
    const second = tinyRun(runDir);
    await second.trainer.fit(second.train, { epochs: 2, resumeFrom: 'last' });
    second.model.dispose();
    // What a kill between two switches can leave: an older complete '.previous' beside a newer 'last';
    // here the newer one is damaged, so the older one is the newest valid checkpoint.
    await copy(join(dir, 'fallback-epoch-1'), previousCheckpointDirectory(last));
    await truncate(join(last, 'optimizer.safetensors'), 10);
    const resumed = await resumeToEnd(runDir);
    expect(resumed.resumedFrom?.directory).toBe(previousCheckpointDirectory(last));
    expect(resumed.resumedFrom?.skipped[0].reason).toContain('optimizer.safetensors');
    expect(weightsDigest(runDir)).toBe(straight.digest);
  });
});

describe('exact resume from a stop inside an epoch', () => {
  it('a callback stop mid-epoch saves the epoch as interrupted; the resume is bit-identical', async () => {
    const runDir = join(dir, 'mid-epoch');
    const run = tinyRun(runDir, { callbacks: [new StopAtStep(9)] });
    await run.trainer.fit(run.train, { epochs: EPOCHS });
    run.model.dispose();
    expect(run.trainer.history.epochs).toHaveLength(1);
    const state = await readState(runDir);
    expect(state.epoch).toBe(1);
    expect(state.inEpoch.batch).toBe(3);
    expect(state.loader.position).toBe(3);
    const resumed = await resumeToEnd(runDir);
    expect(resumed.resumedFrom).toMatchObject({ epoch: 1, batch: 3 });
    expect(resumed.globalStep).toBe(EPOCHS * 6);
    expect(weightsDigest(runDir)).toBe(straight.digest);
    expect(stripTimes(resumed.history.epochs)).toEqual(straight.history);
  });

  it('with gradient accumulation, a stop inside a window resumes it exactly (the pending sums are saved)', async () => {
    const reference = tinyRun(join(dir, 'accumulate-straight'), { accumulateGradBatches: 4 });
    await reference.trainer.fit(reference.train, { epochs: EPOCHS });
    reference.model.dispose();
    const runDir = join(dir, 'accumulate');
    // Step 9 is the 3rd batch of epoch 2: three micro-batches wait in the accumulator.
    const run = tinyRun(runDir, { accumulateGradBatches: 4, callbacks: [new StopAtStep(9)] });
    await run.trainer.fit(run.train, { epochs: EPOCHS });
    run.model.dispose();
    expect((await readState(runDir)).accumulator.count).toBe(3);
    const resumed = tinyRun(runDir, { accumulateGradBatches: 4 });
    await resumed.trainer.fit(resumed.train, { epochs: EPOCHS, resumeFrom: 'last' });
    resumed.model.dispose();
    expect(weightsDigest(runDir)).toBe(weightsDigest(join(dir, 'accumulate-straight')));
    expect(stripTimes(resumed.trainer.history.epochs)).toEqual(stripTimes(reference.trainer.history.epochs));
  });

  it('a stop requested from the event loop (a signal handler) is seen within one batch', async () => {
    const run = tinyRun(undefined);
    const seenAt: number[] = [];
    run.trainer.callbacks.push(
      new OnBatchBegin((batch) => {
        if (batch === 1)
          setImmediate(() => {
            run.trainer.stopTraining = true;
          });
        seenAt.push(batch);
      }),
    );
    await run.trainer.fit(run.train, { epochs: 2 });
    run.model.dispose();
    expect(seenAt).toEqual([0, 1]);
    expect(run.trainer.history.epochs).toHaveLength(0);
  });
});

describe('non-finite guard', () => {
  it('a NaN loss in epoch 2 stops training; checkpoints/last stays the finite epoch 1', async () => {
    const runDir = join(dir, 'nan');
    const run = tinyRun(runDir, {
      trainStep: (batch, { model }) => {
        const output = model.forward(batch.x) as tf.Tensor;
        const loss = tf.tidy(() => {
          const l = tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y as tf.Tensor1D, 2), output) as tf.Scalar;
          return run.trainer.globalStep >= 8 ? (tf.mul(l, Number.NaN) as tf.Scalar) : l;
        });
        return { loss, output };
      },
    });
    await run.trainer.fit(run.train, { epochs: EPOCHS });
    expect(run.trainer.stoppedOnNonFinite).toMatchObject({
      epoch: 1,
      globalStep: 8,
      what: 'a non-finite loss',
    });
    expect(run.trainer.history.epochs).toHaveLength(1);
    const state = await readState(runDir);
    expect(state.epoch).toBe(1);
    expect(state.inEpoch).toBeUndefined();
    const weights = (await readFile(join(lastCheckpointDirectory(runDir), 'model.safetensors'))).subarray(8);
    expect(weights.length).toBeGreaterThan(0);
    const resumed = tinyRun(runDir);
    await resumed.trainer.fit(resumed.train, { epochs: 1, resumeFrom: 'last' });
    for (const p of resumed.model.parameters())
      expect(Array.from(await p.data()).every(Number.isFinite)).toBe(true);
    tf.dispose([run.model, resumed.model].flatMap((m) => m.parameters()));
  });

  it('TerminateOnNaN (guard off) stopping inside an epoch never writes the NaN weights', async () => {
    const runDir = join(dir, 'terminate-on-nan');
    const run = tinyRun(runDir, {
      nonFinite: 'ignore',
      callbacks: [new TerminateOnNaN()],
      trainStep: (batch, { model }) => {
        const output = model.forward(batch.x) as tf.Tensor;
        const loss = tf.tidy(() => {
          const l = tf.losses.softmaxCrossEntropy(tf.oneHot(batch.y as tf.Tensor1D, 2), output) as tf.Scalar;
          return run.trainer.globalStep >= 8 ? (tf.mul(l, Number.NaN) as tf.Scalar) : l;
        });
        return { loss, output };
      },
    });
    await run.trainer.fit(run.train, { epochs: EPOCHS });
    run.model.dispose();
    expect(run.trainer.history.epochs).toHaveLength(1);
    const state = await readState(runDir);
    expect(state.epoch).toBe(1);
    expect(state.inEpoch).toBeUndefined();
    expect(run.trainer.stoppedOnNonFinite?.what).toBe('a non-finite parameter');
  });

  // sqrt(p - p) is 0, a finite loss, but its gradient is Inf − Inf = NaN: only the gradient flag sees it.
  const nanGradient = (_batch: unknown, { model }: { model: { parameters(): tf.Variable[] } }) => ({
    loss: tf.tidy(() => {
      const p = model.parameters()[0];
      const raw = tf.sum(tf.sqrt(tf.sub(p, p)));
      // Finite even once the weights are NaN, so the loss never gives the NaN away.
      return tf.where(tf.isNaN(raw), tf.zerosLike(raw), raw) as tf.Scalar;
    }),
  });

  it('a NaN gradient with a finite loss stops at the next check, before anything is persisted', async () => {
    const runDir = join(dir, 'nan-grad');
    const run = tinyRun(runDir, { trainStep: nanGradient, metrics: [], nonFiniteCheckEvery: 4 });
    await run.trainer.fit(run.train, { epochs: EPOCHS });
    run.model.dispose();
    expect(run.trainer.stoppedOnNonFinite).toMatchObject({ what: 'a non-finite gradient', globalStep: 4 });
    expect(existsSync(lastCheckpointDirectory(runDir))).toBe(false);
  });

  it("'skip' drops the non-finite steps and leaves the weights finite", async () => {
    const run = tinyRun(undefined, { trainStep: nanGradient, metrics: [], nonFinite: 'skip' });
    const before = await Promise.all(run.model.parameters().map((p) => p.data()));
    await run.trainer.fit(run.train, { epochs: 1 });
    expect(run.trainer.history.epochs[0].skippedSteps).toBe(6);
    const after = await Promise.all(run.model.parameters().map((p) => p.data()));
    expect(after).toEqual(before);
    run.model.dispose();
  });

  it('the guard adds no tensors across steps (flag disposed at every check)', async () => {
    const run = tinyRun(undefined, { nonFiniteCheckEvery: 3 });
    await run.trainer.fit(run.train, { epochs: 1 });
    const count = tf.memory().numTensors;
    await run.trainer.fit(run.train, { epochs: 3 });
    expect(tf.memory().numTensors).toBe(count);
    run.model.dispose();
  });
});
