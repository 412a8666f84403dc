import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, toTfjsOptimizer } from './index';

describe('toTfjsOptimizer', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('trains a tfjs-layers model through model.fit with AdamW, a cosine schedule and clipping', async () => {
    // Points on a 16 x 16 grid in [-2, 2]²; class 1 inside the unit circle (not linearly separable).
    const n = 256;
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const point = [-2 + (4 * (i % 16)) / 15, -2 + (4 * Math.floor(i / 16)) / 15];
      xs.push(point);
      ys.push(point[0] ** 2 + point[1] ** 2 < 1.5 ? 1 : 0);
    }
    const x = tf.tensor2d(xs);
    const y = tf.tensor2d(ys, [n, 1]);
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [2], units: 32, activation: 'tanh' }),
        tfl.layers.dense({ units: 32, activation: 'tanh' }),
        tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const totalSteps = 60 * Math.ceil(n / 32);
    let lrSeen = 0;
    const scheduler = {
      t: 0,
      step() {
        this.t += 1;
      },
    };
    const optimizer = toTfjsOptimizer(
      (params) =>
        new AdamW(params, {
          lr: (step) => {
            lrSeen = 0.02 * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps));
            return lrSeen;
          },
          weightDecay: 0.01,
        }),
      { clipGradNorm: 1, scheduler },
    );
    model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 60, batchSize: 32, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.6);
    expect(scheduler.t).toBe(totalSteps);
    expect(optimizer.optimizer?.stepCount).toBe(totalSteps);
    expect(lrSeen).toBeLessThan(0.001);
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });
});
