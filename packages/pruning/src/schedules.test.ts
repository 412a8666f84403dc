import { Module, Parameter, useBackend } from '@nntk/core';
import { Linear, Sequential } from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { constantSparsity, GradualPruner, polynomialDecaySparsity, sparsityReport } from './index';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('sparsity schedules', () => {
  it('polynomialDecaySparsity equals s_f + (s_i − s_f)(1 − (t − t0)/(nΔt))^3 at every step', async () => {
    const schedule = polynomialDecaySparsity({
      initialSparsity: 0.1,
      finalSparsity: 0.9,
      beginStep: 10,
      endStep: 110,
      frequency: 7,
    });
    for (let t = 0; t <= 150; t++) {
      const p = Math.min(1, Math.max(0, (t - 10) / 100));
      expect(schedule(t).sparsity).toBeCloseTo(0.9 + (0.1 - 0.9) * (1 - p) ** 3, 12);
      expect(schedule(t).prune).toBe(t >= 10 && t <= 110 && ((t - 10) % 7 === 0 || t === 110));
    }
    expect(schedule(110)).toEqual({ prune: true, sparsity: 0.9 });
  });

  it('hand-worked: s_i = 0, s_f = 0.8, steps 0..4, power 3: t = 2 gives 0.8 − 0.8·(1 − 0.5)^3 = 0.7', async () => {
    const schedule = polynomialDecaySparsity({
      initialSparsity: 0,
      finalSparsity: 0.8,
      endStep: 4,
      frequency: 1,
    });
    expect(schedule(2).sparsity).toBeCloseTo(0.7, 12);
    expect(schedule(0).sparsity).toBe(0);
    expect(schedule(4).sparsity).toBeCloseTo(0.8, 12);
  });

  it('constantSparsity prunes every `frequency` steps from beginStep, forever when endStep is -1', async () => {
    const schedule = constantSparsity({ targetSparsity: 0.5, beginStep: 3, frequency: 4 });
    const steps = [...Array(20).keys()].filter((t) => schedule(t).prune);
    expect(steps).toEqual([3, 7, 11, 15, 19]);
    expect(schedule(0).sparsity).toBe(0.5);
  });

  it('validates options with messages that name them', async () => {
    expect(() => polynomialDecaySparsity({ initialSparsity: 0, finalSparsity: 1, endStep: 10 })).toThrow(
      "polynomialDecaySparsity: option 'finalSparsity' must be a number in [0, 1), got 1",
    );
    expect(() =>
      polynomialDecaySparsity({ initialSparsity: 0, finalSparsity: 0.5, beginStep: 5, endStep: 5 }),
    ).toThrow("polynomialDecaySparsity: option 'endStep' (5) must be greater than 'beginStep' (5)");
    expect(() => constantSparsity({ targetSparsity: 0.5, frequency: 0 })).toThrow(
      "constantSparsity: option 'frequency' must be an integer >= 1, got 0",
    );
  });
});

class TwoWeights extends Module {
  a = tf.tidy(() => new Parameter(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]), { name: 'a' }));
  weight = tf.tidy(() => new Parameter(tf.tensor2d([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [3, 2]), { name: 'w' }));
  forward(x: tf.Tensor): tf.Tensor {
    return x;
  }
}

describe('GradualPruner', () => {
  it('a gradual run reaches the final sparsity at endStep exactly, even off the frequency grid', async () => {
    const model = new Sequential(new Linear(10, 20), new Linear(20, 5));
    const schedule = polynomialDecaySparsity({
      initialSparsity: 0.2,
      finalSparsity: 0.75,
      endStep: 10,
      frequency: 3,
    });
    const pruner = new GradualPruner({ model, schedule });
    const seen: number[] = [];
    for (let t = 0; t <= 12; t++) {
      await pruner.step();
      seen.push((await sparsityReport(model)).layers[0].zeros);
    }
    // steps 0, 3, 6, 9 and 10 (endStep) prune; 200 weights: round(s_t · 200)
    const expected = (t: number) => Math.round(schedule(t).sparsity * 200);
    expect(seen.slice(0, 3)).toEqual([expected(0), expected(0), expected(0)]);
    expect(seen[3]).toBe(expected(3));
    expect(seen[9]).toBe(expected(9));
    expect(seen[10]).toBe(150);
    expect(seen[12]).toBe(150);
    model.dispose();
  });

  it('global mode uses one threshold; structured mode prunes whole output units', async () => {
    const holder = new TwoWeights();
    const pruner = new GradualPruner({
      targets: [
        [holder, 'a'],
        [holder, 'weight'],
      ],
      schedule: constantSparsity({ targetSparsity: 0.5, frequency: 1 }),
      mode: 'global',
    });
    await pruner.step();
    // 14 weights, 7 smallest: all six of `weight` (0.1..0.6) and 1 from `a`.
    expect(Array.from(holder.weight.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(holder.a.dataSync()).filter((v) => v === 0)).toHaveLength(1);
    holder.dispose();

    const layer = new Linear(6, 4);
    await new GradualPruner({
      targets: [[layer, 'weight']],
      schedule: constantSparsity({ targetSparsity: 0.5 }),
      mode: 'structured',
    }).step();
    const w = layer.weight.arraySync() as number[][];
    const deadUnits = [0, 1, 2, 3].filter((j) => w.every((row) => row[j] === 0));
    expect(deadUnits).toHaveLength(2);
    layer.dispose();
  });

  it('sparsityReport: per-layer rows, global fraction, parameter counts and a text table', async () => {
    const model = new Sequential(new Linear(4, 2));
    await new GradualPruner({ model, schedule: constantSparsity({ targetSparsity: 0.25 }) }).step();
    const report = await sparsityReport(model);
    expect(report.layers).toEqual([{ name: '0.weight', shape: [4, 2], size: 8, zeros: 2, sparsity: 0.25 }]);
    expect(report.parametersBefore).toBe(10);
    expect(report.parametersAfter).toBe(8);
    expect(String(report)).toContain('0.weight     [4,2]     8      2     25.0%');
    model.dispose();
  });
});
