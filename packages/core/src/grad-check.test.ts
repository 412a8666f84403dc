import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gradCheck, NntkError, useBackend } from './index';

const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

/** x·sin(x) with a custom gradient: right, or with a deliberate error in one place. */
function customSinTimes(wrong: 'none' | 'scale' | 'one element') {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    save([x]);
    const value = tf.mul(x, tf.sin(x));
    return {
      value,
      gradFunc: (dy, [saved]) => {
        let g = tf.add(tf.sin(saved), tf.mul(saved, tf.cos(saved)));
        if (wrong === 'scale') g = tf.mul(g, 1.01);
        if (wrong === 'one element')
          g = tf.add(g, tf.oneHot(tf.tensor1d([3], 'int32'), saved.size).reshape(saved.shape));
        return tf.mul(dy, g);
      },
    };
  });
}

// On cpu: wasm is @nntk/backend-wasm's (its conformance suite runs gradCheck there for every op).
for (const backend of ['cpu'] as const) {
  describe(`gradCheck on ${backend}`, () => {
    it('passes correct gradients of smooth ops, broadcasting and reductions, leaving no tensors', async () => {
      await useBackend(backend);
      const a = randn([3, 4], 1);
      const b = randn([4], 2);
      const w = randn([4, 5], 3);
      const before = tf.memory().numTensors;
      const result = await gradCheck((x, y, m) => tf.tanh(tf.matMul(tf.add(x, y), m)), [a, b, w]);
      expect(result.ok).toBe(true);
      expect(result.checked).toBe(12 + 4 + 20);
      expect(result.worst?.error).toBeLessThanOrEqual(result.worst?.tolerance ?? 0);
      expect((await gradCheck((x) => tf.logSumExp(x, 1), [a])).ok).toBe(true);
      expect((await gradCheck(customSinTimes('none'), [a])).ok).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b, w]);
    });

    it('fails a deliberately wrong custom gradient and names the worst element', async () => {
      await useBackend(backend);
      const x = randn([2, 3], 4);
      const before = tf.memory().numTensors;
      const scaled = await gradCheck(customSinTimes('scale'), [x], { raiseException: false });
      expect(scaled.ok).toBe(false);
      const oneOff = await gradCheck(customSinTimes('one element'), [x], { raiseException: false });
      expect(oneOff.ok).toBe(false);
      expect(oneOff.worst?.index).toBe(3);
      const thrown = await gradCheck(customSinTimes('one element'), [x]).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(NntkError);
      expect((thrown as NntkError).code).toBe('GRADIENT_MISMATCH');
      expect((thrown as NntkError).message).toMatch(/input 0 at \[1, 0\]/);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });
  });
}

describe('gradCheck options and inputs', () => {
  it('checks at most maxPerInput elements, refuses bad options and non-float inputs', async () => {
    await useBackend('cpu');
    const x = randn([10, 10], 5);
    expect((await gradCheck((t) => tf.square(t), [x], { maxPerInput: 7 })).checked).toBe(7);
    // biome-ignore lint/suspicious/noExplicitAny: a wrong option on purpose
    await expect(gradCheck((t) => t, [x], { epsilon: 1 } as any)).rejects.toThrow(/unknown option 'epsilon'/);
    await expect(gradCheck((t) => t, [x], { eps: 0 })).rejects.toThrow(/'eps' must be a finite number > 0/);
    const ints = tf.tensor1d([1, 2], 'int32');
    await expect(gradCheck((t) => t, [ints])).rejects.toThrow(/input 0 is int32/);
    await expect(gradCheck((t) => t, [])).rejects.toThrow(/at least one input/);
    tf.dispose([x, ints]);
  });

  it('the float32 rounding bound is what lets a large-valued output pass: without it the same check fails', async () => {
    await useBackend('cpu');
    // f = 1e4·exp(x) summed with large outputs: the rounding of f(x ± h) dominates the difference.
    const x = randn([50], 6);
    const fn = (t: tf.Tensor) => tf.mul(tf.exp(tf.add(t, 3)), 1e4);
    expect((await gradCheck(fn, [x])).ok).toBe(true);
    expect(
      (await gradCheck(fn, [x], { noiseFactor: 0, rtol: 0, atol: 1e-6, raiseException: false })).ok,
    ).toBe(false);
    x.dispose();
  });
});
