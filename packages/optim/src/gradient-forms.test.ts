import { disposeGradients, NntkError, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import reference from '../../../fixtures/optim/clip-grad-norm.json';
import { clipGradNorm, clipGradValue, GradientAccumulator, SGD, toTfjsOptimizer } from './index';

// Every public function that takes gradients accepts both forms: a Map keyed by parameter (core's
// valueAndGrads) and tfjs's NamedTensorMap keyed by variable name (tf.variableGrads(f).grads), and
// rejects anything else with an NntkError. The regression: a NamedTensorMap once gave totalNorm 0.

const made: tf.Tensor[] = [];
afterEach(() => {
  tf.dispose(made.splice(0));
});

/** The fixture's gradients as a tfjs NamedTensorMap, keyed by the names of fresh variables. */
function namedGrads(): { params: tf.Variable[]; grads: tf.NamedTensorMap } {
  const params = reference.grads.map((g) => tf.variable(tf.zeros(g.shape)));
  made.push(...params);
  const grads: tf.NamedTensorMap = {};
  params.forEach((p, i) => {
    grads[p.name] = tf.tensor(reference.grads[i].values, reference.grads[i].shape);
  });
  return { params, grads };
}

function expectClose(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, j) => {
    expect(Math.abs(actual[j] - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)));
  });
}

describe('gradients as a tfjs NamedTensorMap (tf.variableGrads)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('clipGradNorm matches torch.nn.utils.clip_grad_norm_ on a NamedTensorMap, in place', async () => {
    const c = reference.cases[0]; // maxNorm 1, normType 2: the norm (10.45) is clipped
    const { params, grads } = namedGrads();
    const before = tf.memory().numTensors;
    const { grads: clipped, totalNorm } = clipGradNorm(grads, c.maxNorm);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(clipped).toBe(grads);
    const [norm] = await totalNorm.data();
    totalNorm.dispose();
    expect(norm).toBeCloseTo(c.totalNorm, 4);
    expect(norm).toBeGreaterThan(c.maxNorm);
    for (const [i, p] of params.entries()) expectClose(await grads[p.name].data(), c.clipped[i]);
    disposeGradients(grads);
    expect(tf.memory().numTensors).toBe(before - params.length);
  });

  it('clipGradNorm accepts the whole tf.variableGrads result and clips what it computed', async () => {
    const w = tf.variable(tf.tensor1d([3, 4]));
    made.push(w);
    const result = tf.variableGrads(() => tf.sum(tf.mul(w, w)), [w]); // grad 2w = [6, 8], norm 10
    const { totalNorm } = clipGradNorm(result, 1);
    expect((await totalNorm.data())[0]).toBeCloseTo(10, 5);
    totalNorm.dispose();
    expectClose(await result.grads[w.name].data(), [0.6, 0.8]);
    result.value.dispose();
    disposeGradients(result.grads);
  });

  it('clipGradValue clamps a NamedTensorMap in place', async () => {
    const { params, grads } = namedGrads();
    const before = tf.memory().numTensors;
    const out = clipGradValue(grads, 0.5);
    expect(out).toBe(grads);
    expect(tf.memory().numTensors).toBe(before);
    for (const [i, p] of params.entries()) {
      const expected = reference.grads[i].values.map((v) => Math.fround(Math.min(0.5, Math.max(-0.5, v))));
      expect(Array.from(await grads[p.name].data())).toEqual(expected);
    }
    disposeGradients(grads);
  });

  it('an optimizer step from a NamedTensorMap equals the step from the Map', async () => {
    const a = tf.variable(tf.tensor1d([1, -2]));
    const b = tf.variable(tf.tensor1d([1, -2]));
    made.push(a, b);
    const fromMap = new SGD([a], { lr: 0.1, momentum: 0.9 });
    const fromNames = new SGD([b], { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 3; i++) {
      const m = valueAndGrads(() => tf.sum(tf.square(a)), [a]);
      fromMap.step(m);
      const n = tf.variableGrads(() => tf.sum(tf.square(b)), [b]);
      fromNames.step(n.grads);
      tf.dispose([m.value, n.value]);
      disposeGradients(m.grads);
      disposeGradients(n.grads);
    }
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    expect(Array.from(await a.data())).not.toEqual([1, -2]);
    fromMap.dispose();
    fromNames.dispose();
  });

  it('GradientAccumulator.add and toTfjsOptimizer.applyGradients take either form', async () => {
    const w = tf.variable(tf.tensor1d([1, 1]));
    made.push(w);
    const sgd = new SGD([w], { lr: 0.5 });
    const acc = new GradientAccumulator(sgd, { steps: 2 });
    const g1 = tf.tensor1d([1, 0]);
    const g2 = tf.tensor1d([0, 1]);
    made.push(g1, g2);
    expect(acc.add({ [w.name]: g1 })).toBe(false);
    expect(acc.add(new Map([[w, g2]]))).toBe(true);
    expectClose(await w.data(), [0.75, 0.75]); // mean [0.5, 0.5] times lr 0.5

    const tfOpt = toTfjsOptimizer(new SGD([w], { lr: 1 }));
    tfOpt.applyGradients(new Map([[w, g1]]));
    expectClose(await w.data(), [-0.25, 0.75]);
    tfOpt.applyGradients({ [w.name]: g2 });
    expectClose(await w.data(), [-0.25, -0.25]);
    tfOpt.dispose();
    sgd.dispose();
  });
});

describe('gradients in a form nntk cannot use are rejected, never a silent no-op', () => {
  it('names no parameter of the optimizer: step throws NO_GRADIENT naming both sides', () => {
    const w = tf.variable(tf.zeros([2]), true, 'weight_a');
    const other = tf.variable(tf.zeros([2]), true, 'weight_b');
    made.push(w, other);
    const sgd = new SGD([w], { lr: 0.1 });
    const g = tf.ones([2]);
    made.push(g);
    expect(() => sgd.step({ weight_b: g })).toThrow(NntkError);
    expect(() => sgd.step({ weight_b: g })).toThrow(/weight_b.*parameters: weight_a/);
    sgd.dispose();
  });

  it('values that are not tensors, arrays and primitives: INVALID_OPTION naming the function', () => {
    const w = tf.variable(tf.zeros([2]));
    made.push(w);
    const sgd = new SGD([w], { lr: 0.1 });
    // JSON.parse stands in for untyped input (plain JavaScript callers).
    const bad: tf.NamedTensorMap = JSON.parse(JSON.stringify({ [w.name]: [1, 2] }));
    const anArray: tf.NamedTensorMap = JSON.parse('[]');
    const nothing: tf.NamedTensorMap = JSON.parse('null');
    const expectInvalid = (fn: () => unknown, caller: RegExp) => {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NntkError);
      expect((error as NntkError).code).toBe('INVALID_OPTION');
      expect((error as NntkError).message).toMatch(caller);
    };
    expectInvalid(() => clipGradNorm(bad, 1), /^clipGradNorm: gradient '.*' is an array/);
    expectInvalid(() => clipGradValue(bad, 1), /^clipGradValue:/);
    expectInvalid(() => sgd.step(bad), /^SGD\.step:/);
    expectInvalid(() => clipGradNorm(anArray, 1), /got an array/);
    expectInvalid(() => clipGradNorm(nothing, 1), /got null/);
    expectInvalid(() => disposeGradients(bad), /^disposeGradients:/);
    sgd.dispose();
  });
});
