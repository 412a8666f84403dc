import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipGradValueTransform } from './clip-grad-value-transform';

describe('clipGradValueTransform', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('clamps every gradient to [-v, v] in place, keeping the tensor count', async () => {
    const a = tf.variable(tf.zeros([4]));
    const grads = new Map<tf.Variable, tf.Tensor>([[a, tf.tensor1d([-3, -0.5, 0.25, 9])]]);
    const start = tf.memory().numTensors;
    const transform = clipGradValueTransform(1);
    transform.apply(grads);
    expect(tf.memory().numTensors).toBe(start);
    expect(transform).toMatchObject({ replayable: true, signature: 'clipGradValue(1)' });
    expect(Array.from(await (grads.get(a) as tf.Tensor).data())).toEqual([-1, -0.5, 0.25, 1]);
    tf.dispose([a, ...grads.values()]);
  });

  it('rejects a negative clip value', () => {
    expect(() => clipGradValueTransform(-1)).toThrow(/clipValue must be >= 0, got -1/);
  });
});
