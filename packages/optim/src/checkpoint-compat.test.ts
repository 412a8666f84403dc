import { readFileSync } from 'node:fs';
import { decodeSafetensors, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import trajectories from '../../../fixtures/optim/trajectories.json';
import * as optim from './index';
import type { Optimizer, OptimizerStateDict } from './optimizer';

// Checkpoints written by fixtures/write-checkpoints.ts with the optimizers as they were before their
// refactor into thin classes over shared update pieces: each case's parameters and stateDict() after 3
// steps, and its parameters after 3 more. Loading one into today's optimizer must give the same state dict
// back (layout and values) and continue bit for bit, on cpu and on wasm (whose Adam, AdamW and SGD take the
// fused path by default).
interface SavedCase {
  optimizer: string;
  options: Record<string, unknown>;
  groups?: Record<string, unknown>[];
  stateDict: Omit<OptimizerStateDict, 'state'> & { state: Record<string, Record<string, number | string>> };
}

type Ctor = new (params: unknown, options: unknown) => Optimizer;

function bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));
}

function savedCases(bytes: Uint8Array): SavedCase[] {
  const { tensors, metadata } = decodeSafetensors(bytes);
  tf.dispose(Object.values(tensors));
  return JSON.parse(metadata.cases);
}

await useBackend('cpu');
for (const backend of ['cpu', 'wasm'] as const) {
  const bytes = new Uint8Array(
    readFileSync(new URL(`../fixtures/checkpoints-${backend}.safetensors`, import.meta.url)),
  );
  const cases = savedCases(bytes);
  describe(`checkpoints written before the optimizer refactor load and continue on ${backend}`, () => {
    for (const [i, c] of cases.entries()) {
      it(`${c.optimizer} ${JSON.stringify(c.options)}${c.groups ? ' (groups)' : ''}`, async () => {
        await useBackend(backend);
        const { tensors } = decodeSafetensors(bytes);
        const p = trajectories.problem;
        const [X, Y] = [tf.tensor2d(p.X), tf.tensor2d(p.Y)];
        const W = tf.variable(tensors[`c${i}.W`]);
        const b = tf.variable(tensors[`c${i}.b`]);
        const Optimizer = (optim as unknown as Record<string, Ctor>)[c.optimizer];
        const params = c.groups
          ? [
              { params: [W], ...c.groups[0] },
              { params: [b], ...c.groups[1] },
            ]
          : [W, b];
        const opt = new Optimizer(params, c.options);
        const state = Object.fromEntries(
          Object.entries(c.stateDict.state).map(([index, entry]) => [
            index,
            Object.fromEntries(
              Object.entries(entry).map(([k, v]) => [k, typeof v === 'number' ? v : tensors[v]]),
            ),
          ]),
        );
        opt.loadStateDict({ ...c.stateDict, state });
        const again = opt.stateDict();
        expect(again.paramGroups).toEqual(c.stateDict.paramGroups);
        expect([again.stepCount, again.skippedSteps]).toEqual([
          c.stateDict.stepCount,
          c.stateDict.skippedSteps,
        ]);
        for (const [index, entry] of Object.entries(c.stateDict.state)) {
          expect(Object.keys(again.state[Number(index)]).sort(), `state keys of ${index}`).toEqual(
            Object.keys(entry).sort(),
          );
          for (const [key, value] of Object.entries(entry)) {
            const got = again.state[Number(index)][key];
            if (typeof value === 'number') expect(got, key).toBe(value);
            else expect(bits(got as tf.Tensor), key).toEqual(bits(tensors[value]));
          }
        }
        tf.dispose(
          Object.values(again.state).flatMap((s) => Object.values(s).filter((v) => typeof v !== 'number')),
        );
        const loss = () =>
          tf.tidy(() => {
            const pred = tf.tanh(tf.add(tf.matMul(X, W), b));
            return tf.add(
              tf.mean(tf.square(tf.sub(pred, Y))),
              tf.mul(0.01, tf.sum(tf.pow(W, 4))),
            ) as tf.Scalar;
          });
        for (let s = 0; s < 3; s++) {
          const { value, grads } = valueAndGrads(loss, [W, b]);
          opt.step(grads);
          tf.dispose([value, ...grads.values()]);
        }
        expect(bits(W), 'W after 3 more steps').toEqual(bits(tensors[`c${i}.after.W`]));
        expect(bits(b), 'b after 3 more steps').toEqual(bits(tensors[`c${i}.after.b`]));
        opt.dispose();
        tf.dispose([X, Y, W, b, ...Object.values(tensors)]);
      });
    }
  });
}
