import { useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { LearnedPositionalEncoding } from './learned-positional-encoding';

describe('LearnedPositionalEncoding', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`adds weight[:L] and its gradient is the upstream summed over the batch, rows past L untouched, on ${backend}`, async () => {
      await useBackend(backend);
      const layer = new LearnedPositionalEncoding(6, 3, { dropout: 0 });
      expect(Object.keys(layer.stateDict())).toEqual(['weight']);
      const x = tf.randomNormal([4, 2, 3], 0, 1, 'float32', 5);
      const upstream = tf.randomNormal([4, 2, 3], 0, 1, 'float32', 6);
      const before = tf.memory().numTensors;
      for (let step = 0; step < 2; step++) {
        let y: tf.Tensor | undefined;
        const { value, grads } = valueAndGrads(() => {
          y = tf.keep(layer.forward(x));
          return tf.sum(tf.mul(y, upstream));
        }, layer.parameters());
        const expectedY = tf.tidy(() => tf.add(x, tf.slice(layer.weight, [0, 0], [4, 3]).expandDims(1)));
        const expectedGrad = tf.tidy(() => tf.concat([tf.sum(upstream, 1), tf.zeros([2, 3])]));
        const close = (a: tf.Tensor, b: tf.Tensor) => {
          const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
          const worst = gap.dataSync()[0];
          gap.dispose();
          return worst;
        };
        expect(close(y!, expectedY)).toBeLessThan(1e-6);
        expect(close(grads.get(layer.weight)!, expectedGrad)).toBeLessThan(1e-6);
        tf.dispose([value, y!, ...grads.values(), expectedY, expectedGrad]);
        expect(tf.memory().numTensors, `tensors after step ${step}`).toBe(before);
      }
      tf.dispose([x, upstream]);
      layer.dispose();
    });
  }

  it('rejects a sequence longer than maxLen and unknown options', async () => {
    await useBackend('cpu');
    const layer = new LearnedPositionalEncoding(3, 2, { batchFirst: true });
    const x = tf.zeros([1, 4, 2]);
    expect(() => layer.forward(x)).toThrow(/maxLen = 3/);
    const misspelt = { dropout: 0, batchFirts: true };
    expect(() => new LearnedPositionalEncoding(3, 2, misspelt)).toThrow("Did you mean 'batchFirst'?");
    tf.dispose(x);
    layer.dispose();
  });
});
