import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { type BackendName, seed, useBackend } from '@nntk/core';
import { DataLoader, embeddedFashionMnist, Subset, type TensorDataset } from '@nntk/datasets';
import { Conv2d, crossEntropy, Flatten, Linear, ReLU, Sequential } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Callback, type DiagnosticsRecord, TensorBoardLogger, Trainer, TrainingDiagnostics } from './index';
import { EventSchema } from './internal/tensorboard/gen/tensorboard/compat/proto/event_pb';
import { decodeRecords } from './internal/tensorboard/records';

/** Independent measurements at the logging steps, straight from the tensors (tests may sync). */
class Witness extends Callback {
  gradNorms = new Map<number, Map<string, number>>();
  before = new Map<string, Float32Array>();
  ratios = new Map<number, Map<string, number>>();
  constructor(private readonly every: number) {
    super();
  }
  private step(): number {
    return (this.trainer?.globalStep ?? 0) + 1;
  }
  override onAfterBackward(grads: Map<tf.Variable, tf.Tensor>): void {
    if (this.step() % this.every !== 0) return;
    const norms = new Map<string, number>();
    for (const [name, p] of this.trainer?.model.namedParameters() ?? []) {
      norms.set(
        name,
        tf.tidy(() => tf.norm(grads.get(p) as tf.Tensor).dataSync()[0]),
      );
      this.before.set(name, p.dataSync() as Float32Array);
    }
    this.gradNorms.set(this.step(), norms);
  }
  override onBatchEnd(): void {
    const step = this.trainer?.globalStep ?? 0;
    if (step % this.every !== 0) return;
    const ratios = new Map<string, number>();
    for (const [name, p] of this.trainer?.model.namedParameters() ?? []) {
      const [b, a] = [this.before.get(name) as Float32Array, p.dataSync()];
      const diff = Math.hypot(...a.map((v, i) => v - b[i]));
      ratios.set(name, diff / Math.hypot(...b));
    }
    this.ratios.set(step, ratios);
  }
}

function build(runDir: string, callbacks: Callback[]) {
  seed(7);
  const model = new Sequential(
    new Conv2d(1, 4, 3, { stride: 2 }),
    new ReLU(),
    new Flatten(),
    new Linear(4 * 13 * 13, 10),
  );
  const trainer = new Trainer({
    model,
    // Adam updates parameters in place on wasm (fused): the update ratios must still see the old weights.
    optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
    trainStep: (batch) => {
      const output = model.forward(batch.x.reshape([-1, 28, 28, 1])) as tf.Tensor;
      return { loss: crossEntropy(output, batch.y) as tf.Scalar, output };
    },
    runDir,
    callbacks,
    seed: 7,
  });
  return { model, trainer };
}

describe.each(['cpu', 'wasm'] as BackendName[])('TrainingDiagnostics on %s', (backend) => {
  let data: TensorDataset;
  let dir: string;
  beforeAll(async () => {
    await useBackend(backend);
    data = await embeddedFashionMnist();
    dir = await mkdtemp(join(tmpdir(), `nntk-diag-${backend}-`));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('measures norms, histograms, update ratios, activations and filters every N steps, on the device', async () => {
    const runDir = join(dir, 'run');
    const diagnostics = new TrainingDiagnostics({ everyNSteps: 2, bins: 8 });
    const witness = new Witness(2);
    const tb = new TensorBoardLogger({ diagnostics, logEveryNSteps: 4, hparams: { lr: 0.05, net: 'cnn' } });
    const records: DiagnosticsRecord[] = [];
    const weights = new Map<number, Map<string, Float32Array>>();
    const counts: number[] = [];
    const { model, trainer } = build(runDir, [
      witness,
      diagnostics,
      tb,
      new (class extends Callback {
        override onEpochEnd() {
          counts.push(tf.memory().numTensors);
        }
      })(),
    ]);
    diagnostics.subscribe((r) => {
      records.push(r);
      weights.set(
        r.step,
        new Map(model.namedParameters().map(([n, p]) => [n, p.dataSync() as Float32Array])),
      );
    });
    const loader = new DataLoader(
      new Subset(
        data,
        Array.from({ length: 64 }, (_, i) => i),
      ),
      { batchSize: 16 },
    );
    await trainer.fit(loader, { epochs: 3 });

    expect(records.map((r) => r.step)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(counts[1]).toBe(counts[0]);
    expect(counts[2]).toBe(counts[0]);
    for (const r of records) {
      expect(r.parameters.map((p) => p.name)).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
      for (const p of r.parameters) {
        const w = weights.get(r.step)?.get(p.name) as Float32Array;
        expect(p.weightNorm).toBeCloseTo(Math.hypot(...w), 4);
        expect(p.weightHistogram.min).toBeCloseTo(Math.min(...w), 6);
        expect(p.weightHistogram.max).toBeCloseTo(Math.max(...w), 6);
        expect(p.weightHistogram.bucketCounts.reduce((a, b) => a + b, 0)).toBe(w.length);
        expect(p.weightHistogram.bucketLimits.at(-1)).toBe(p.weightHistogram.max);
        expect(p.gradNorm).toBeCloseTo(witness.gradNorms.get(r.step)?.get(p.name) as number, 4);
        expect(p.updateRatio).toBeCloseTo(witness.ratios.get(r.step)?.get(p.name) as number, 4);
        expect(p.updateRatio).toBeGreaterThan(0);
      }
      expect(r.activations.map((a) => a.name)).toEqual(['0', '1', '2', '3']);
      const relu = r.activations[1];
      expect(relu.fractionZero).toBeGreaterThan(0);
      expect(relu.fractionZero).toBeLessThan(1);
      expect(r.activations[0].fractionZero).toBe(0);
      expect(r.filters).toMatchObject({ name: '0.weight', width: 51, height: 51, channels: 1 });
      expect(Math.max(...(r.filters?.pixels ?? []))).toBe(255);
    }
    // A bin-by-bin check of one histogram against the weights it was taken from.
    const last = records.at(-1) as DiagnosticsRecord;
    const h = last.parameters[0].weightHistogram;
    const w = weights.get(last.step)?.get('0.weight') as Float32Array;
    const expected = new Array(8).fill(0);
    for (const v of w) expected[Math.min(7, Math.floor(((v - h.min) / (h.max - h.min)) * 8))] += 1;
    expect(h.bucketCounts.reduce((a, b) => a + b, 0)).toBe(expected.reduce((a, b) => a + b, 0));
    expect(
      h.bucketCounts.map((c, i) => Math.abs(c - expected[i])).reduce((a, b) => a + b, 0),
    ).toBeLessThanOrEqual(2);

    const lines = (await readFile(join(runDir, 'diagnostics', 'records.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).step)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(JSON.parse(lines[0]).filters).toMatchObject({ file: 'filters.png', width: 51 });
    expect(existsSync(join(runDir, 'diagnostics', 'filters.png'))).toBe(true);

    const file = (await readdir(runDir)).find((n) => n.startsWith('events.out.tfevents.')) as string;
    const tags = decodeRecords(new Uint8Array(await readFile(join(runDir, file))))
      .map((b) => fromBinary(EventSchema, b))
      .flatMap((e) =>
        e.what.case === 'summary' ? e.what.value.value.map((v) => `${v.tag}:${v.value.case}`) : [],
      );
    expect(tags).toContain('weights/0.weight:histo');
    expect(tags).toContain('grads/3.bias:histo');
    expect(tags).toContain('update_ratio/3.weight:simpleValue');
    expect(tags).toContain('activation_zeros/1:simpleValue');
    expect(tags).toContain('filters/0.weight:image');
    expect(tags).toContain('epoch/loss:simpleValue');
    expect(tags.filter((t) => t === 'batch/loss:simpleValue')).toHaveLength(3);
    expect(tags.slice(-4)).toEqual([
      '_hparams_/experiment:undefined',
      '_hparams_/session_start_info:undefined',
      '_hparams_/session_end_info:undefined',
      'hparam/loss:simpleValue',
    ]);

    // After training the hooks are gone: a forward pass keeps nothing.
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      model.forward(tf.zeros([2, 28, 28, 1]));
    });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects unknown and bad options with typed errors', () => {
    expect(() => new TrainingDiagnostics({ everyNStep: 5 } as never)).toThrow(/Did you mean 'everyNSteps'/);
    expect(() => new TrainingDiagnostics({ everyNSteps: 0 })).toThrow(/everyNSteps/);
    expect(() => new TrainingDiagnostics({ bins: 2.5 })).toThrow(/bins/);
  });
});
