import { readFileSync } from 'node:fs';
import { decodeSafetensors, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import trajectories from '../../../fixtures/optim/trajectories.json';
import type { Optimizer, OptimizerStateDict } from './optimizer';
import { buildOptimizer } from './test-helpers';

// Checkpoints written by fixtures/write-checkpoints.ts with the optimizers as they were before their
// refactor into thin classes over shared update pieces: each case's parameters and stateDict() after 3
// steps, and its parameters after 3 more. Loading one into today's optimizer must give the same state dict
// back (layout and values) and continue bit for bit, on cpu and on wasm (whose Adam, AdamW and SGD take the
// fused path by default).
interface SavedCase {
  optimizer: string;
  options: Record<string, unknown>;
  groups?: Record<string, unknown>[];
  /** Steps (0-based) whose first gradient was NaN (with skipNonFinite). */
  nanSteps?: number[];
  stateDict: Omit<OptimizerStateDict, 'state'> & { state: Record<string, Record<string, number | string>> };
}

function bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

function savedCases(bytes: Uint8Array): SavedCase[] {
  const { tensors, metadata } = decodeSafetensors(bytes);
  tf.dispose(Object.values(tensors));
  return JSON.parse(metadata.cases);
}

/** The fixture problem from W and b; `loss` as in fixtures/write-checkpoints.ts. */
function problem(W: tf.Variable, b: tf.Variable) {
  const p = trajectories.problem;
  const [X, Y] = [tf.tensor2d(p.X), tf.tensor2d(p.Y)];
  const loss = () =>
    tf.tidy(() => {
      const pred = tf.tanh(tf.add(tf.matMul(X, W), b));
      return tf.add(tf.mean(tf.square(tf.sub(pred, Y))), tf.mul(0.01, tf.sum(tf.pow(W, 4)))) as tf.Scalar;
    });
  return { loss, dispose: () => tf.dispose([X, Y, W, b]) };
}

/** Steps `from` to `to` (exclusive), the first gradient NaN at `nanSteps`, each step's check awaited. */
async function train(
  opt: Optimizer,
  loss: () => tf.Scalar,
  params: tf.Variable[],
  from: number,
  to: number,
  nanSteps: number[] = [],
) {
  for (let s = from; s < to; s++) {
    const { value, grads } = valueAndGrads(loss, params);
    if (nanSteps.includes(s)) {
      grads.get(params[0])?.dispose();
      grads.set(params[0], tf.fill(params[0].shape, Number.NaN));
    }
    opt.step(grads);
    tf.dispose([value, ...grads.values()]);
    // With skipNonFinite the step's finiteness is read asynchronously; the counters are exact after.
    await opt.settled();
  }
}

/** The optimizer's stateDict() equals the saved one: groups, counters, state keys and tensor bits. */
function expectSavedState(opt: Optimizer, c: SavedCase, tensors: Record<string, tf.Tensor>): void {
  const again = opt.stateDict();
  expect(again.paramGroups).toEqual(c.stateDict.paramGroups);
  expect([again.stepCount, again.skippedSteps]).toEqual([c.stateDict.stepCount, c.stateDict.skippedSteps]);
  expect(Object.keys(again.state).sort()).toEqual(Object.keys(c.stateDict.state).sort());
  for (const [index, entry] of Object.entries(c.stateDict.state)) {
    const got = again.state[Number(index)];
    expect(Object.keys(got).sort(), `state keys of ${index}`).toEqual(Object.keys(entry).sort());
    for (const [key, value] of Object.entries(entry)) {
      if (typeof value === 'number') expect(got[key], key).toBe(value);
      else expect(bits(got[key] as tf.Tensor), key).toEqual(bits(tensors[value]));
    }
  }
  tf.dispose(
    Object.values(again.state).flatMap((s) => Object.values(s).filter((v) => typeof v !== 'number')),
  );
}

await useBackend('cpu');
for (const backend of ['cpu', 'wasm'] as const) {
  const bytes = new Uint8Array(
    readFileSync(new URL(`../fixtures/checkpoints-${backend}.safetensors`, import.meta.url)),
  );
  const cases = savedCases(bytes);
  describe(`checkpoints written before the optimizer refactor, on ${backend}`, () => {
    for (const [i, c] of cases.entries()) {
      const name = `${c.optimizer} ${JSON.stringify(c.options)}${c.groups ? ' (groups)' : ''}`;
      it(`${name}: loads with the same state dict and continues bit for bit`, async () => {
        await useBackend(backend);
        const { tensors } = decodeSafetensors(bytes);
        const W = tf.variable(tensors[`c${i}.W`]);
        const b = tf.variable(tensors[`c${i}.b`]);
        const { loss, dispose } = problem(W, b);
        const opt = buildOptimizer(c, W, b);
        const state = Object.fromEntries(
          Object.entries(c.stateDict.state).map(([index, entry]) => [
            index,
            Object.fromEntries(
              Object.entries(entry).map(([k, v]) => [k, typeof v === 'number' ? v : tensors[v]]),
            ),
          ]),
        );
        opt.loadStateDict({ ...c.stateDict, state });
        expectSavedState(opt, c, tensors);
        await train(opt, loss, [W, b], 3, 6);
        expect(bits(W), 'W after 3 more steps').toEqual(bits(tensors[`c${i}.after.W`]));
        expect(bits(b), 'b after 3 more steps').toEqual(bits(tensors[`c${i}.after.b`]));
        opt.dispose();
        dispose();
        tf.dispose(Object.values(tensors));
      });

      it(`${name}: today's code replays the first 3 steps (NaN steps skipped) to the saved state, bit for bit`, async () => {
        await useBackend(backend);
        const { tensors } = decodeSafetensors(bytes);
        const p = trajectories.problem;
        const W = tf.variable(tf.tensor2d(p.W));
        const b = tf.variable(tf.tensor1d(p.b));
        const { loss, dispose } = problem(W, b);
        const opt = buildOptimizer(c, W, b);
        const before = tf.memory().numTensors;
        await train(opt, loss, [W, b], 0, 3, c.nanSteps);
        expectSavedState(opt, c, tensors);
        expect(bits(W), 'W after 3 steps').toEqual(bits(tensors[`c${i}.W`]));
        expect(bits(b), 'b after 3 steps').toEqual(bits(tensors[`c${i}.b`]));
        opt.dispose();
        expect(tf.memory().numTensors, 'tensors left after dispose').toBe(before);
        dispose();
        tf.dispose(Object.values(tensors));
      });
    }
  });
}
