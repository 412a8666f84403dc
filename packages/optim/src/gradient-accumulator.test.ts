import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradientAccumulator, SGD } from './index';

describe('GradientAccumulator', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('steps once per k micro-batches with the mean gradient, leaking nothing', () => {
    const w = tf.variable(tf.scalar(0));
    const acc = new GradientAccumulator(new SGD([w], { lr: 1 }), { steps: 3 });
    const before = tf.memory().numTensors;
    const stepped = [1, 2, 6].map((v) => {
      const g = tf.scalar(v);
      const result = acc.add(new Map([[w, g]]));
      g.dispose();
      return result;
    });
    expect(stepped).toEqual([false, false, true]);
    expect(w.dataSync()[0]).toBeCloseTo(-3, 6); // mean of 1, 2, 6
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('sums when asked, flushes a partial group, and round-trips its state', () => {
    const w = tf.variable(tf.scalar(0));
    const acc = new GradientAccumulator(new SGD([w], { lr: 1 }), { steps: 4, reduction: 'sum' });
    const g = tf.scalar(2);
    acc.add(new Map([[w, g]]));
    const state = acc.stateDict();
    const other = new GradientAccumulator(acc.optimizer, { steps: 4, reduction: 'sum' });
    other.loadStateDict(state);
    tf.dispose(Object.values(state.sums));
    expect(other.pending).toBe(1);
    other.add(new Map([[w, g]]));
    other.flush();
    expect(w.dataSync()[0]).toBeCloseTo(-4, 6);
    acc.dispose();
    tf.dispose([w, g]);
  });

  it('validates its options', () => {
    const w = tf.variable(tf.scalar(0));
    const opt = new SGD([w], { lr: 1 });
    expect(() => new GradientAccumulator(opt, { steps: 0 })).toThrow(
      "GradientAccumulator: option 'steps' must be an integer >= 1, got 0",
    );
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    expect(() => new GradientAccumulator(opt, { steps: 2, reduction: 'max' as any })).toThrow(
      /one of 'mean', 'sum'/,
    );
    w.dispose();
  });
});
