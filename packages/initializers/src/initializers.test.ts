import { NntkError, Rng, seed, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from '../../../fixtures/initializers/reference.json';
import type { Nonlinearity } from './index';
import * as init from './index';

function stats(values: Float32Array) {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
    if (v === 0) zeros++;
  }
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / (values.length - 1)), min, max, zeroFraction: zeros / values.length };
}

describe('initializers', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const f of reference.fans) {
    it(`computeFans(${JSON.stringify(f.shape)}) equals PyTorch's fans of ${JSON.stringify(f.torchShape)}`, () => {
      expect(init.computeFans(f.shape)).toEqual({ fanIn: f.fanIn, fanOut: f.fanOut });
    });
  }

  it("calculateGain equals PyTorch's for every nonlinearity", () => {
    for (const g of reference.gains) {
      expect(init.calculateGain(g.nonlinearity as Nonlinearity, g.param ?? undefined)).toBeCloseTo(
        g.gain,
        12,
      );
    }
    expect(init.calculateGain('leakyRelu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
  });

  for (const s of reference.samples) {
    it(`${s.initializer} ${JSON.stringify(s.options)} has PyTorch's distribution`, () => {
      // biome-ignore lint/suspicious/noExplicitAny: dispatch by name
      const t = (init as any)[s.initializer](s.shape, { ...s.options, rng: new Rng(11) }) as tf.Tensor;
      expect(t.shape).toEqual(s.shape);
      const mine = stats(t.dataSync() as Float32Array);
      const ref = s.stats;
      // Means agree within 5 standard errors, standard deviations within 2%, bounds within 2% of the range.
      const n = t.size;
      expect(Math.abs(mine.mean - ref.mean)).toBeLessThan(5 * (ref.std / Math.sqrt(n)) * Math.SQRT2 + 1e-9);
      expect(Math.abs(mine.std / ref.std - 1)).toBeLessThan(0.02);
      const range = ref.max - ref.min;
      if (['uniform', 'xavierUniform', 'kaimingUniform', 'truncNormal'].includes(s.initializer)) {
        expect(mine.min).toBeGreaterThanOrEqual(ref.min - 0.02 * range);
        expect(mine.max).toBeLessThanOrEqual(ref.max + 0.02 * range);
        expect(Math.abs(mine.min - ref.min)).toBeLessThan(0.02 * range);
      }
      expect(Math.abs(mine.zeroFraction - ref.zeroFraction)).toBeLessThan(0.01);
      t.dispose();
    });
  }

  it('hand-worked: kaimingUniform with a = √5 on [784, 256] has bound 1/√784 = 1/28', () => {
    // gain = √(2/(1 + 5)) = √(1/3); std = gain/√784; bound = √3·std = 1/28 ≈ 0.035714
    const t = init.kaimingUniform([784, 256], { a: Math.sqrt(5), rng: new Rng(1) });
    const { min, max } = stats(t.dataSync() as Float32Array);
    expect(max).toBeLessThanOrEqual(1 / 28);
    expect(min).toBeGreaterThanOrEqual(-1 / 28);
    expect(max).toBeGreaterThan(0.0357 * 0.999);
    t.dispose();
  });

  it('orthogonal gives WᵀW = I (tall) and WWᵀ = I (wide), times the gain', () => {
    for (const [shape, gain] of [
      [[64, 16], 1],
      [[3, 3, 8, 16], 2],
      [[8, 32], 1],
    ] as [number[], number][]) {
      const w = init.orthogonal(shape, { gain, rng: new Rng(2) });
      const out = shape[shape.length - 1];
      const m = w.reshape([-1, out]);
      const gram = m.shape[0] >= out ? tf.matMul(m, m, true, false) : tf.matMul(m, m, false, true);
      const expected = tf.mul(tf.eye(gram.shape[0]), gain * gain);
      expect(tf.max(tf.abs(tf.sub(gram, expected))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([w, m, gram, expected]);
    }
  });

  it('dirac makes a convolution the identity, per group', () => {
    const x = tf.randomNormal([2, 5, 5, 4]);
    const w = init.dirac([3, 3, 4, 4]);
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
    expect(tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]).toBe(0);
    const grouped = init.dirac([3, 3, 2, 4], { groups: 2 }).dataSync();
    // Output channel 2 (group 1, index 0) copies its group's input channel 0 at the centre (1, 1).
    expect(grouped[((1 * 3 + 1) * 2 + 0) * 4 + 2]).toBe(1);
    expect(Array.from(grouped).reduce((a, b) => a + b, 0)).toBe(4);
    tf.dispose([x, w, y]);
  });

  it('eye, zeros, ones and constant', () => {
    expect(Array.from(init.eye([2, 3]).dataSync())).toEqual([1, 0, 0, 0, 1, 0]);
    expect(Array.from(init.constant([2], 0.5).dataSync())).toEqual([0.5, 0.5]);
    expect(Array.from(init.zeros([2]).dataSync())).toEqual([0, 0]);
    expect(Array.from(init.ones([2]).dataSync())).toEqual([1, 1]);
  });

  it('sparse zeroes ⌈sparsity·out⌉ weights of each input', () => {
    const w = init.sparse([10, 20], { sparsity: 0.25, rng: new Rng(3) }).arraySync() as number[][];
    for (const row of w) expect(row.filter((v) => v === 0)).toHaveLength(5);
  });

  it('the same seed gives the same tensor', () => {
    seed(5);
    const a = init.xavierNormal([30, 40]);
    seed(5);
    const b = init.xavierNormal([30, 40]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('deep-network helpers: ReZero starts at 0; Fixup scales by L^(−1/(2m−2))', () => {
    expect(init.rezero().dataSync()[0]).toBe(0);
    expect(init.fixupScale(16)).toBeCloseTo(0.25, 12); // 16^(−1/2)
    expect(init.fixupScale(8, 3)).toBeCloseTo(8 ** -0.25, 12);
  });

  it('rejects bad options with clear messages', () => {
    expect(() => init.normal([2], { std: -1 })).toThrow(
      "normal: option 'std' must be a finite number >= 0, got -1",
    );
    expect(() => init.calculateGain('swish' as Nonlinearity)).toThrow(
      /option 'nonlinearity' must be one of 'linear'/,
    );
    expect(() => init.kaimingNormal([5])).toThrow(/at least 2 dimensions/);
    expect(() => init.kaimingNormal([5, 5], { mode: 'fan_in' as 'fanIn' })).toThrow(
      /option 'mode' must be one of 'fanIn', 'fanOut'/,
    );
    expect(() => init.truncNormal([2], { a: 1, b: 0 })).toThrow(NntkError);
    expect(() => init.sparse([2, 2], { sparsity: 1.5 })).toThrow(/'sparsity' must be a number in \[0, 1\]/);
  });
});
