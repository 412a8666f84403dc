import { NntkError, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipGradNorm } from './clip-grad-norm';
import { clipGradNormTransform } from './clip-grad-norm-transform';

function gradients(): Map<tf.Variable, tf.Tensor> {
  const a = tf.variable(tf.zeros([3]));
  const b = tf.variable(tf.zeros([2, 2]));
  return new Map<tf.Variable, tf.Tensor>([
    [a, tf.tensor1d([3, -4, 12])],
    [b, tf.tensor2d([1, 2, -2, 0.5], [2, 2])],
  ]);
}

describe('clipGradNormTransform', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('clips exactly as clipGradNorm, keeps the tensor count, and is replayable', async () => {
    for (const normType of [1, 2, 3, Infinity]) {
      const reference = gradients();
      const transformed = gradients();
      clipGradNorm(reference, 2, { normType }).totalNorm.dispose();
      const start = tf.memory().numTensors;
      const transform = clipGradNormTransform(2, { normType });
      transform.apply(transformed);
      expect(tf.memory().numTensors).toBe(start);
      expect(transform).toMatchObject({ replayable: true, signature: `clipGradNorm(2,${normType})` });
      const expected = await Promise.all([...reference.values()].map((g) => g.data()));
      const actual = await Promise.all([...transformed.values()].map((g) => g.data()));
      expect(actual).toEqual(expected);
      for (const map of [reference, transformed]) tf.dispose([...map.keys(), ...map.values()]);
    }
  });

  it('rejects bad options, naming them', () => {
    expect(() => clipGradNormTransform(-1)).toThrow(/maxNorm must be >= 0, got -1/);
    expect(() => clipGradNormTransform(1, { normType: 0 })).toThrow(/'normType' must be > 0/);
    expect(() => clipGradNormTransform(1, JSON.parse('{"errorIfNonfinite":true}'))).toThrow(NntkError);
  });
});
