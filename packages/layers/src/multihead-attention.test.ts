import { NntkError, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { MultiheadAttention } from './multihead-attention';

describe('MultiheadAttention', () => {
  it("has PyTorch's parameters and initialisation (Xavier-uniform in-projection, zero biases)", async () => {
    await useBackend('cpu');
    const mha = new MultiheadAttention(16, 4);
    expect(Object.keys(mha.stateDict()).sort()).toEqual([
      'inProjBias',
      'inProjWeight',
      'outProj.bias',
      'outProj.weight',
    ]);
    expect(mha.inProjWeight.shape).toEqual([16, 48]);
    const bound = Math.sqrt(6 / (16 + 48));
    const w = mha.inProjWeight.dataSync();
    expect(w.every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.8 * bound);
    expect(mha.inProjBias!.dataSync().every((v) => v === 0)).toBe(true);
    expect(mha.outProj.bias!.dataSync().every((v) => v === 0)).toBe(true);
    mha.dispose();
    const noBias = new MultiheadAttention(4, 2, { bias: false });
    expect(Object.keys(noBias.stateDict()).sort()).toEqual(['inProjWeight', 'outProj.weight']);
    noBias.dispose();
  });

  it('takes unbatched inputs and returns no weights when needWeights is false', async () => {
    await useBackend('cpu');
    const mha = new MultiheadAttention(6, 3);
    const q = tf.randomNormal([4, 6], 0, 1, 'float32', 1);
    const kv = tf.randomNormal([5, 6], 0, 1, 'float32', 2);
    const [out, weights] = mha.forward(q, kv, kv);
    expect(out.shape).toEqual([4, 6]);
    expect(weights!.shape).toEqual([4, 5]);
    const rowSums = tf.sum(weights!, 1);
    expect(Array.from(rowSums.dataSync()).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);
    const [batched] = mha.forward(q.expandDims(1), kv.expandDims(1), kv.expandDims(1), {
      needWeights: false,
    });
    expect(batched.shape).toEqual([4, 1, 6]);
    expect(Math.max(...tf.abs(tf.sub(batched.squeeze([1]), out)).dataSync())).toBeLessThan(1e-6);
    const [, none] = mha.forward(q, kv, kv, { needWeights: false });
    expect(none).toBeUndefined();
    tf.dispose([q, kv, out, weights!, rowSums, batched]);
    mha.dispose();
  });

  it('masked keys get zero weight; dropout acts only in training; no tensor growth across steps', async () => {
    await useBackend('wasm');
    const mha = new MultiheadAttention(8, 2, { dropout: 0.5, batchFirst: true });
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3);
    const padding = tf.tensor2d(
      [
        [0, 0, 0, 1, 1],
        [0, 0, 0, 0, 0],
      ],
      [2, 5],
      'bool',
    );
    mha.eval();
    const [, weights] = mha.forward(x, x, x, { keyPaddingMask: padding });
    const w = weights!.arraySync() as number[][][];
    expect(w[0].every((row) => row[3] === 0 && row[4] === 0)).toBe(true);
    expect(w[1].every((row) => row[4] > 0)).toBe(true);
    mha.train();
    const [, dropped] = mha.forward(x, x, x);
    expect(dropped!.dataSync().some((v) => v === 0)).toBe(true);
    tf.dispose([weights!, dropped!]);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(mha.forward(x, x, x, { keyPaddingMask: padding })[0]) as tf.Scalar,
        mha.parameters(),
      );
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors, `tensors after step ${step}`).toBe(before);
    }
    tf.dispose([x, padding]);
    mha.dispose();
  });

  it('rejects bad options, shapes and masks with typed errors', async () => {
    await useBackend('cpu');
    expect(() => new MultiheadAttention(10, 3)).toThrow(/divisible/);
    expect(() => new MultiheadAttention(8, 2, { dropout: 1 })).toThrow(NntkError);
    const misspelt = { bias: true, batch_first: true };
    expect(() => new MultiheadAttention(8, 2, misspelt)).toThrow("Did you mean 'batchFirst'?");
    const mha = new MultiheadAttention(8, 2);
    const x = tf.zeros([3, 2, 8]);
    const wrongWidth = tf.zeros([3, 2, 6]);
    const wrongMask = tf.zeros([3, 4], 'bool');
    const intMask = tf.zeros([3, 3], 'int32');
    expect(() => mha.forward(wrongWidth)).toThrow(/E = 8/);
    expect(() => mha.forward(x, x, x, { attnMask: wrongMask })).toThrow(/attnMask must be/);
    expect(() => mha.forward(x, x, x, { keyPaddingMask: wrongMask })).toThrow(/keyPaddingMask must be/);
    expect(() => mha.forward(x, x, x, { attnMask: intMask })).toThrow(/bool or float32/);
    const misspeltCall = { needWeights: false, atnMask: intMask };
    expect(() => mha.forward(x, x, x, misspeltCall)).toThrow("Did you mean 'attnMask'?");
    tf.dispose([x, wrongWidth, wrongMask, intMask]);
    mha.dispose();
  });
});
