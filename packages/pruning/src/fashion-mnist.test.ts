import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { disposeGradients, getRng, type Module, seed, useBackend, valueAndGrads } from '@nntk/core';
import { embeddedFashionMnist, fashionMnist, type TensorDataset } from '@nntk/datasets';
import { crossEntropy, MLP } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compact, GradualPruner, lnStructured, polynomialDecaySparsity, sparsityReport } from './index';

const TRAIN = 4000;
const TEST = 2000;
const BATCH = 50;

interface Split {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/** The full Fashion-MNIST directory (NNTK_DATA_DIR or ../shared/data), if the checkout has it. */
function fullFashionMnist(): string | undefined {
  const roots = [process.env.NNTK_DATA_DIR, new URL('../../../../shared/data/', import.meta.url).pathname];
  return roots
    .filter((root): root is string => Boolean(root))
    .map((root) => join(root, 'fashion-mnist'))
    .find((dir) => existsSync(join(dir, 't10k-images-idx3-ubyte.gz')));
}

function rows(data: TensorDataset, start: number, count: number): Split {
  return {
    x: tf.tensor2d(data.x.values.slice(start * 784, (start + count) * 784) as Float32Array, [count, 784]),
    y: tf.tensor1d(data.y.values.slice(start, start + count) as Int32Array, 'int32'),
  };
}

/**
 * The first TRAIN training images, and TEST test images: the official test set's first ones where the
 * full files are; on a fresh clone, the embedded subset's training images TRAIN..TRAIN+TEST, which the
 * model never trains on (the embedded test split has only 1,000).
 */
async function load(): Promise<{ train: Split; test: Split }> {
  const root = fullFashionMnist();
  if (root) {
    const train = await fashionMnist({ root, split: 'train' });
    const test = await fashionMnist({ root, split: 'test' });
    return { train: rows(train, 0, TRAIN), test: rows(test, 0, TEST) };
  }
  const embedded = await embeddedFashionMnist({ split: 'train' });
  return { train: rows(embedded, 0, TRAIN), test: rows(embedded, TRAIN, TEST) };
}

async function trainEpoch(
  model: Module,
  optimizer: Adam,
  train: Split,
  afterStep?: () => Promise<unknown>,
): Promise<void> {
  model.train();
  const order = Array.from(getRng().permutation(TRAIN));
  for (let start = 0; start < TRAIN; start += BATCH) {
    const index = tf.tensor1d(order.slice(start, start + BATCH), 'int32');
    const x = tf.gather(train.x, index);
    const y = tf.gather(train.y, index);
    const { value, grads } = valueAndGrads(
      () => crossEntropy(model.forward(x) as tf.Tensor, y) as tf.Scalar,
      model.parameters(),
    );
    optimizer.step(grads);
    disposeGradients(grads);
    tf.dispose([value, index, x, y]);
    await afterStep?.();
  }
}

function testAccuracy(model: Module, test: Split): number {
  model.eval();
  return tf.tidy(() => {
    const predicted = tf.argMax(model.forward(test.x) as tf.Tensor, 1);
    return tf.mean(tf.equal(predicted, test.y).toFloat()).dataSync()[0];
  });
}

describe('pruning an MLP on real Fashion-MNIST (full files, else the embedded subset)', () => {
  let train: Split;
  let test: Split;
  beforeAll(async () => {
    await useBackend('wasm');
    ({ train, test } = await load());
  });

  it('80% sparsity with the polynomial schedule and fine-tuning keeps accuracy within 2 points', async () => {
    seed(1);
    const model = new MLP({ sizes: [784, 128, 64, 10] });
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    for (let epoch = 0; epoch < 4; epoch++) await trainEpoch(model, optimizer, train);
    const dense = testAccuracy(model, test);

    const stepsPerEpoch = TRAIN / BATCH;
    const schedule = polynomialDecaySparsity({
      initialSparsity: 0,
      finalSparsity: 0.8,
      endStep: 2 * stepsPerEpoch,
      frequency: 10,
    });
    const pruner = new GradualPruner({ model, schedule });
    const before = tf.memory().numTensors;
    // Two epochs of gradual pruning, then two of fine-tuning at the final sparsity.
    for (let epoch = 0; epoch < 4; epoch++) await trainEpoch(model, optimizer, train, () => pruner.step());
    expect(tf.memory().numTensors).toBe(before);
    const pruned = testAccuracy(model, test);
    const report = await sparsityReport(model);
    for (const row of report.layers) expect(row.sparsity).toBeCloseTo(0.8, 3);
    expect(report.global.sparsity).toBeCloseTo(0.8, 3);
    console.log(`dense ${(100 * dense).toFixed(1)}%, 80% sparse ${(100 * pruned).toFixed(1)}%\n${report}`);
    expect(dense).toBeGreaterThan(0.78);
    expect(pruned).toBeGreaterThan(dense - 0.02);
    model.dispose();
    optimizer.dispose();
  });

  it("structured pruning + compact: fewer parameters, the masked model's outputs (1e-5)", async () => {
    seed(2);
    const model = new MLP({ sizes: [784, 64, 32, 10], batchNorm: true });
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    await trainEpoch(model, optimizer, train);
    await lnStructured(model.layers[0], 'weight', { amount: 0.5, n: 2 });
    await lnStructured(model.layers[3], 'weight', { amount: 0.25, n: 1 });
    await trainEpoch(model, optimizer, train);
    const small = await compact(model);
    expect(small.numParameters()).toBeLessThan(model.numParameters());
    expect(small.layers.map((l) => l.constructor.name)).toEqual(model.layers.map((l) => l.constructor.name));
    expect((small.layers[0] as unknown as { outFeatures: number }).outFeatures).toBe(32);
    expect((small.layers[3] as unknown as { inFeatures: number }).inFeatures).toBe(32);
    expect((small.layers[3] as unknown as { outFeatures: number }).outFeatures).toBe(24);
    expect((small.layers[6] as unknown as { inFeatures: number }).inFeatures).toBe(24);
    model.eval();
    small.eval();
    const [a, b] = [model, small].map((m) => m.forward(test.x) as tf.Tensor);
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    expect(gap).toBeLessThan(1e-5);
    console.log(
      `compact: ${model.numParameters()} -> ${small.numParameters()} parameters, max output gap ${gap}`,
    );
    tf.dispose([a, b]);
    model.dispose();
    small.dispose();
    optimizer.dispose();
  });
});
