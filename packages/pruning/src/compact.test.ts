import { seed, useBackend } from '@nntk/core';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compact, isPruned, l1Unstructured, lnStructured } from './index';

function maxGap(a: Sequential, b: Sequential, x: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a.forward(x), b.forward(x)))).dataSync()[0]);
}

/** Gives BatchNorm non-trivial running statistics, so folding through it is really tested. */
function warmUp(model: Sequential, x: tf.Tensor) {
  model.train();
  tf.dispose(model.forward(x));
  model.eval();
}

// On wasm too: compact gathers kept units with tf.gather, whose output once carried a 4-D storage shape
// there (a gathered bias was rejected by the fused matmul).
for (const backend of ['cpu', 'wasm'] as const)
  describe(`compact on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    it('CNN: conv → BN → ReLU → pool → conv (valid) → flatten → linear loses channels and matches (1e-5)', async () => {
      seed(4);
      const model = new Sequential(
        new Conv2d(3, 8, 3),
        new BatchNorm2d(8),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(8, 6, 3),
        new ReLU(),
        new Flatten(),
        new Linear(6 * 2 * 2, 5),
      );
      const x = tf.randomNormal([4, 10, 10, 3], 0, 1, 'float32', 7);
      warmUp(model, x);
      await lnStructured(model.layers[0], 'weight', { amount: 3, n: 1 });
      await lnStructured(model.layers[4], 'weight', { amount: 0.5, n: 2 });
      await l1Unstructured(model.layers[7], 'weight', { amount: 0.3 });
      const small = await compact(model);
      small.eval();
      const shapes = Object.fromEntries(Object.entries(small.stateDict()).map(([k, v]) => [k, v.shape]));
      expect(shapes['0.weight']).toEqual([3, 3, 3, 5]);
      expect(shapes['1.runningMean']).toEqual([5]);
      expect(shapes['4.weight']).toEqual([3, 3, 5, 3]);
      expect(shapes['7.weight']).toEqual([3 * 2 * 2, 5]);
      expect(shapes['7.weight_mask']).toEqual([12, 5]);
      expect(isPruned(small)).toBe(true);
      expect(maxGap(model, small, x)).toBeLessThan(1e-5);
      model.dispose();
      small.dispose();
      x.dispose();
    });

    it('a zero-padded next convolution cannot absorb a non-zero constant channel: a clear error', async () => {
      const model = new Sequential(new Conv2d(2, 4, 3), new Conv2d(4, 2, 3, { padding: 1 }));
      await lnStructured(model.layers[0], 'weight', { amount: 1 / 4, n: 2 });
      await expect(compact(model)).rejects.toThrow(/cannot fold into its bias exactly/);
      model.dispose();
    });

    it('keeps the last layer whole and leaves unpruned models unchanged; rejects non-Sequential models', async () => {
      const model = new Sequential(new Linear(4, 3));
      await lnStructured(model.layers[0], 'weight', { amount: 1 / 3, n: 2 });
      const small = await compact(model);
      expect(small.layers[0].stateDict().weight.shape).toEqual([4, 3]);
      await expect(compact(new Linear(2, 2))).rejects.toThrow('compact: expected a Sequential');
      model.dispose();
      small.dispose();
    });
  });
