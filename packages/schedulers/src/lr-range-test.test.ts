import { useBackend, valueAndGrads } from '@nntk/core';
import { SGD } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lrRangeTest, scaleLrByDepth } from './index';

describe('lrRangeTest', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('finds a learning rate below the divergence point of a real SGD run, leaking nothing', async () => {
    // Linear regression whose loss Hessian has largest eigenvalue about 2·E[x²] = 2, so plain SGD diverges
    // above lr ≈ 1; the suggestion must fall well inside the stable range.
    const x = tf.tidy(() => tf.randomNormal([256, 8], 0, 1, 'float32', 3));
    const y = tf.tidy(() => tf.matMul(x, tf.randomNormal([8, 1], 0, 1, 'float32', 4)));
    const w = tf.variable(tf.zeros([8, 1]));
    const optimizer = new SGD([w], { lr: 1e-4 });
    const before = tf.memory().numTensors;
    const result = await lrRangeTest({
      startLr: 1e-4,
      endLr: 10,
      numIter: 80,
      step: (lr) => {
        optimizer.paramGroups[0].lr = lr;
        const { value, grads } = valueAndGrads(() => tf.mean(tf.square(tf.sub(tf.matMul(x, w), y))), [w]);
        optimizer.step(grads);
        const loss = value.dataSync()[0];
        tf.dispose([value, ...grads.values()]);
        return loss;
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.diverged).toBe(true);
    expect(result.lrs.length).toBeLessThan(80);
    expect(result.lrs[0]).toBeCloseTo(1e-4, 10);
    expect(result.suggestedLr).toBeGreaterThan(1e-3);
    expect(result.suggestedLr).toBeLessThan(1);
    tf.dispose([x, y, w]);
  });

  it('hand-worked: a loss curve falling fastest at lr = 0.01 is found there', async () => {
    // loss(lr) = 1 − tanh(log10(lr) + 2): steepest against log lr where log10(lr) = −2.
    const result = await lrRangeTest({
      step: (lr) => 1 - Math.tanh(Math.log10(lr) + 2),
      startLr: 1e-5,
      endLr: 10,
      numIter: 121,
      smoothing: 0,
    });
    expect(Math.log10(result.suggestedLr)).toBeCloseTo(-2, 1);
    expect(result.diverged).toBe(false);
  });

  it('validates its options', async () => {
    await expect(lrRangeTest({ step: () => 1, startLr: 1, endLr: 0.1 })).rejects.toThrow(
      'lrRangeTest: endLr (0.1) must exceed startLr (1)',
    );
    await expect(lrRangeTest({ step: () => 1, mode: 'log' as 'exp' })).rejects.toThrow(
      /option 'mode' must be one of 'exp', 'linear'/,
    );
  });
});

describe('scaleLrByDepth', () => {
  it('scales by the inverse square root or inverse of depth relative to the reference depth', () => {
    expect(scaleLrByDepth(0.1, 16, { referenceDepth: 4 })).toBeCloseTo(0.05, 12); // 0.1·√(4/16)
    expect(scaleLrByDepth(0.1, 16, { rule: 'inverse', referenceDepth: 4 })).toBeCloseTo(0.025, 12);
    expect(scaleLrByDepth(0.1, 16, { rule: 'none' })).toBe(0.1);
    expect(() => scaleLrByDepth(0.1, 0)).toThrow(
      "scaleLrByDepth: option 'depth' must be an integer >= 1, got 0",
    );
  });
});
