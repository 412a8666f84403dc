import { NntkError, seed, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import attentionFixtures from '../../../fixtures/layers/attention.json';
import { SinusoidalPositionalEncoding } from './sinusoidal-positional-encoding';

describe('SinusoidalPositionalEncoding', () => {
  for (const { maxLen, dModel, pe } of attentionFixtures.sinusoid) {
    for (const backend of ['cpu', 'wasm'] as const) {
      it(`its table matches the formula of Vaswani et al. (Python, float64) for maxLen ${maxLen}, dModel ${dModel} on ${backend}`, async () => {
        await useBackend(backend);
        const before = tf.memory().numTensors;
        const layer = new SinusoidalPositionalEncoding(dModel, { maxLen, dropout: 0 });
        const values = layer.pe.dataSync();
        let worst = 0;
        pe.flat().forEach((e, i) => {
          worst = Math.max(worst, Math.abs(values[i] - e));
        });
        expect(worst).toBeLessThan(1e-7);
        const x = tf.ones([maxLen, 2, dModel]);
        const y = layer.forward(x);
        const rowsOf = (t: tf.Tensor) => t.arraySync() as number[][][];
        expect(rowsOf(y)[3][1][0]).toBeCloseTo(1 + pe[3][0], 6);
        expect(rowsOf(y)[maxLen - 1][0][dModel - 1]).toBeCloseTo(1 + pe[maxLen - 1][dModel - 1], 6);
        tf.dispose([x, y]);
        layer.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  it('is in the state dict as buffer pe, adds along the batch-first layout, and drops out only in training', async () => {
    await useBackend('cpu');
    const layer = new SinusoidalPositionalEncoding(4, { maxLen: 10, batchFirst: true, dropout: 0.5 });
    expect(Object.keys(layer.stateDict())).toEqual(['pe']);
    expect(layer.parameters()).toHaveLength(0);
    const x = tf.zeros([3, 6, 4]);
    seed(1);
    const trained = layer.forward(x);
    const zeros = trained.dataSync().filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(10);
    layer.eval();
    const evaluated = layer.forward(x);
    const expected = tf.tidy(() => tf.tile(tf.slice(layer.pe, [0, 0], [6, 4]).expandDims(0), [3, 1, 1]));
    expect(Array.from(evaluated.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, trained, evaluated, expected]);
    layer.dispose();
  });

  it('rejects sequences longer than maxLen and misspelt options', async () => {
    await useBackend('cpu');
    const layer = new SinusoidalPositionalEncoding(4, { maxLen: 5 });
    const x = tf.zeros([6, 1, 4]);
    expect(() => layer.forward(x)).toThrow(/maxLen = 5/);
    const wrongWidth = tf.zeros([2, 3]);
    expect(() => layer.forward(wrongWidth)).toThrow(NntkError);
    const misspelt = { maxLen: 5, dropuot: 0 };
    expect(() => new SinusoidalPositionalEncoding(4, misspelt)).toThrow("Did you mean 'dropout'?");
    tf.dispose([x, wrongWidth]);
    layer.dispose();
  });
});
