import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import reference from '../../../fixtures/optim/clip-grad-norm.json';
import { clipGradNorm, clipGradValue } from './index';

function makeGrads() {
  const params = reference.grads.map((g) => tf.variable(tf.zeros(g.shape)));
  const grads = new Map(
    params.map((p, i) => [p as tf.Variable, tf.tensor(reference.grads[i].values, reference.grads[i].shape)]),
  );
  return { params, grads };
}

describe('clipGradNorm', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const c of reference.cases) {
    it(`matches torch.nn.utils.clip_grad_norm_ (maxNorm ${c.maxNorm}, normType ${c.normType})`, async () => {
      const { params, grads } = makeGrads();
      const before = tf.memory().numTensors;
      const normType = c.normType === 'inf' ? Infinity : (c.normType as number);
      const readSync = vi.spyOn(tf.engine(), 'readSync');
      const { grads: clipped, totalNorm } = clipGradNorm(grads, c.maxNorm, { normType });
      expect(readSync, 'the norm stays on the device').not.toHaveBeenCalled();
      readSync.mockRestore();
      expect(tf.memory().numTensors, 'the gradients replaced, plus the norm').toBe(before + 1);
      expect(clipped).toBe(grads);
      expect((await totalNorm.data())[0]).toBeCloseTo(c.totalNorm, 4);
      totalNorm.dispose();
      params.forEach((p, i) => {
        const actual = clipped.get(p)!.dataSync();
        c.clipped[i].forEach((v, j) => {
          expect(Math.abs(actual[j] - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)));
        });
      });
      tf.dispose([...params, ...clipped.values()]);
    });
  }

  it('hand-worked: gradients (3, 4) have norm 5; maxNorm 1 scales them by 1/(5 + 1e-6)', async () => {
    const p = tf.variable(tf.zeros([2]));
    const grads = new Map([[p as tf.Variable, tf.tensor1d([3, 4])]]);
    const { totalNorm } = clipGradNorm(grads, 1);
    expect((await totalNorm.data())[0]).toBeCloseTo(5, 6);
    totalNorm.dispose();
    const [a, b] = grads.get(p)!.dataSync();
    expect(a).toBeCloseTo(0.6, 6);
    expect(b).toBeCloseTo(0.8, 6);
    tf.dispose([p, ...grads.values()]);
  });

  it('errors on a non-finite norm when asked (reading it with await data()), before scaling anything', async () => {
    const p = tf.variable(tf.zeros([1]));
    const grads = new Map([[p as tf.Variable, tf.tensor1d([Number.POSITIVE_INFINITY])]]);
    const given = grads.get(p);
    const before = tf.memory().numTensors;
    await expect(clipGradNorm(grads, 1, { errorIfNonfinite: true })).rejects.toThrow(
      /errorIfNonfinite: false/,
    );
    expect(grads.get(p), 'nothing scaled').toBe(given);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => clipGradNorm(grads, -1)).toThrow(/maxNorm must be >= 0/);
    const finite = new Map([[p as tf.Variable, tf.tensor1d([3])]]);
    const { totalNorm } = await clipGradNorm(finite, 1, { errorIfNonfinite: true });
    expect((await totalNorm.data())[0]).toBe(3);
    expect((await finite.get(p)!.data())[0]).toBeCloseTo(3 / (3 + 1e-6), 6);
    tf.dispose([p, totalNorm, ...grads.values(), ...finite.values()]);
  });

  it('with no gradients the norm is a zero scalar', async () => {
    const { totalNorm } = clipGradNorm(new Map(), 1);
    expect(Array.from(await totalNorm.data())).toEqual([0]);
    totalNorm.dispose();
  });
});

describe('clipGradValue', () => {
  it('clamps every element in place without leaking', () => {
    const p = tf.variable(tf.zeros([4]));
    const grads = new Map([[p as tf.Variable, tf.tensor1d([-3, -0.5, 0.2, 7])]]);
    const before = tf.memory().numTensors;
    clipGradValue(grads, 1);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(grads.get(p)!.dataSync())).toEqual([-1, -0.5, 0.2, 1].map(Math.fround));
    tf.dispose([p, ...grads.values()]);
  });
});
