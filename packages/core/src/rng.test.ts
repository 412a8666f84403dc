import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { getRng, NntkError, Rng, seed, useBackend } from './index';

describe('Rng', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('gives the same stream for the same seed and another for another seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('continues exactly after getState/setState, including the cached normal', () => {
    const a = new Rng(7);
    a.normal(); // leaves a cached spare in the state
    const state = JSON.parse(JSON.stringify(a.getState()));
    const expected = [a.normal(), a.random(), a.randint(10), a.normal(), a.normal()];
    const b = new Rng(0);
    b.setState(state);
    expect([b.normal(), b.random(), b.randint(10), b.normal(), b.normal()]).toEqual(expected);
  });

  it('draws uniforms with the right range and moments', () => {
    const values = new Rng(1).uniformArray(200_000, -2, 3);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(-2);
    expect(max).toBeLessThan(3);
    // mean 0.5, std of the mean = 5 / sqrt(12 * 200000) ≈ 0.0032
    expect(Math.abs(sum / values.length - 0.5)).toBeLessThan(0.015);
  });

  it('draws normals with mean and std within statistical tolerance', () => {
    const values = new Rng(2).normalArray(200_000, 1, 2);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(variance) - 2)).toBeLessThan(0.02);
  });

  it('draws Beta(a, b) with mean a / (a + b)', () => {
    const rng = new Rng(3);
    let sum = 0;
    for (let i = 0; i < 50_000; i++) sum += rng.beta(0.4, 0.4);
    expect(Math.abs(sum / 50_000 - 0.5)).toBeLessThan(0.01);
    let sum2 = 0;
    for (let i = 0; i < 50_000; i++) sum2 += rng.beta(2, 6);
    expect(Math.abs(sum2 / 50_000 - 0.25)).toBeLessThan(0.01);
  });

  it('makes permutations of every index, unbiased in the first position', () => {
    const rng = new Rng(4);
    const perm = Array.from(rng.permutation(100)).sort((a, b) => a - b);
    expect(perm).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[rng.permutation(4)[0]]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('builds tensors from its stream and the global seed fixes them', () => {
    seed(123);
    const a = getRng().uniform([3, 4]);
    seed(123);
    const b = getRng().uniform([3, 4]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const mask = new Rng(5).bernoulli([1000], 0.3);
    const ones = Array.from(mask.dataSync()).reduce((s, v) => s + v, 0);
    expect(Math.abs(ones - 300)).toBeLessThan(60);
    tf.dispose([a, b, mask]);
  });

  it('rejects a corrupt state with a clear error', () => {
    const rng = new Rng(1);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    expect(() => rng.setState({ algorithm: 'mt19937', s: [1, 2] } as any)).toThrow(NntkError);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    expect(() => rng.setState({ algorithm: 'xoshiro128**', s: [1, 2, 3, -1], spare: null } as any)).toThrow(
      /not an nntk RNG state/,
    );
  });
});
