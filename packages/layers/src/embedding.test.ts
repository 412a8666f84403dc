import { NntkError, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Embedding } from './embedding';

describe('Embedding', () => {
  it('starts with a zero padding row, which stays zero and gradient-free through training steps', async () => {
    await useBackend('wasm');
    const layer = new Embedding(5, 3, { paddingIdx: 2 });
    const padRowIsZero = (t: tf.Tensor) =>
      t
        .dataSync()
        .slice(6, 9)
        .every((v) => v === 0);
    expect(padRowIsZero(layer.weight)).toBe(true);
    expect(layer.weight.dataSync().some((v) => v !== 0)).toBe(true);
    const ids = tf.tensor2d([[2, 1, 2, 4]], [1, 4], 'int32');
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const { value, grads } = valueAndGrads(() => tf.sum(tf.square(layer.forward(ids))), layer.parameters());
      const g = grads.get(layer.weight)!;
      expect(padRowIsZero(g)).toBe(true);
      tf.tidy(() => layer.weight.assign(tf.sub(layer.weight, tf.mul(0.1, g))));
      tf.dispose([value, ...grads.values()]);
      expect(tf.memory().numTensors, `tensors after step ${step}`).toBe(before);
    }
    expect(padRowIsZero(layer.weight)).toBe(true);
    ids.dispose();
    layer.dispose();
  });

  it('rejects bad options and non-integer ids with typed errors', async () => {
    await useBackend('cpu');
    expect(() => new Embedding(4, 2, { paddingIdx: 4 })).toThrow(/paddingIdx/);
    expect(() => new Embedding(4, 2, { maxNorm: -1 })).toThrow(NntkError);
    const misspelt = { maxNorm: 1, padingIdx: 0 };
    expect(() => new Embedding(4, 2, misspelt)).toThrow("Did you mean 'paddingIdx'?");
    const layer = new Embedding(4, 2);
    const x = tf.tensor1d([0, 1]);
    expect(() => layer.forward(x)).toThrow(/int32/);
    tf.dispose(x);
    layer.dispose();
  });
});
