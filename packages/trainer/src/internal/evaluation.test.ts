import { Linear } from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../test-support/tiny-run';
import { evaluateLoader, predictLoader } from './evaluation';
import { createMetrics } from './num-classes';

beforeAll(async () => {
  await useCpu();
});

async function* batches(sizes: number[]) {
  for (const [i, n] of sizes.entries())
    yield { x: tf.fill([n, 2], i + 1), y: tf.tensor1d(new Array(n).fill(i % 2), 'int32') };
}

describe('evaluateLoader / predictLoader', () => {
  it('weights each batch loss by its size, in eval mode, and leaves the mode as it was', async () => {
    const model = new Linear(2, 2);
    model.train();
    const modes: boolean[] = [];
    // Loss = the batch's input value: 1 for the 3-sample batch, 2 for the 1-sample one.
    const forwardLoss = (batch: { x: tf.Tensor }) => {
      modes.push(model.training);
      return { loss: tf.mean(batch.x) as tf.Scalar, output: model.forward(batch.x) as tf.Tensor };
    };
    const before = tf.memory().numTensors;
    const logs = await evaluateLoader(model, forwardLoss, batches([3, 1]), createMetrics(['accuracy'], 2));
    expect(logs.loss).toBeCloseTo((1 * 3 + 2 * 1) / 4, 6);
    expect(logs.accuracy).toBeGreaterThanOrEqual(0);
    expect(modes).toEqual([false, false]);
    expect(model.training).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('concatenates the outputs of every batch', async () => {
    const model = new Linear(2, 3);
    const out = await predictLoader(model, batches([2, 3]));
    expect(out.shape).toEqual([5, 3]);
    out.dispose();
    model.dispose();
  });
});
