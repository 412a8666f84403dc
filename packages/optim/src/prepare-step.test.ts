import { useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Optimizer } from './optimizer';
import { buildOptimizer, fixture, makeProblem } from './test-helpers';

const STEPS = 12;

async function bits(tensors: tf.Tensor[]): Promise<number[][]> {
  return Promise.all(tensors.map(async (t) => Array.from(new Uint32Array((await t.data()).buffer.slice(0)))));
}

function stateTensors(opt: Optimizer): tf.Tensor[] {
  return [...opt.state.values()].flatMap((s) => Object.values(s).filter((v) => v instanceof tf.Tensor));
}

function counters(opt: Optimizer): unknown {
  return [
    opt.stepCount,
    ...[...opt.state.values()].map((s) => Object.entries(s).filter(([, v]) => typeof v === 'number')),
  ];
}

/** Trains the fixture's problem through `step()` or through `prepareStep()`, the lr changed every step. */
async function train(c: (typeof fixture.cases)[number], split: boolean) {
  const start = tf.memory().numTensors;
  const { W, b, loss, dispose } = makeProblem();
  const opt = buildOptimizer({ ...c, options: { ...c.options, fused: false } }, W, b);
  const reasons: string[] = [];
  for (let i = 0; i < STEPS; i++) {
    for (const g of opt.paramGroups) g.lr = 0.02 * 0.9 ** i;
    const { value, grads } = valueAndGrads(loss, [W, b]);
    const prepared = split ? opt.prepareStep([W, b]) : 'eager';
    if (typeof prepared === 'string') {
      if (split) reasons.push(prepared);
      opt.step(grads);
    } else {
      const before = counters(opt);
      const scalars = prepared.scalars.map((v) => tf.scalar(v));
      prepared.update(grads, scalars);
      // The host side advances nothing before commit().
      expect(counters(opt)).toEqual(before);
      prepared.commit();
      tf.dispose(scalars);
    }
    tf.dispose([value, ...grads.values()]);
  }
  const result = { bits: await bits([W, b, ...stateTensors(opt)]), counters: counters(opt), reasons };
  opt.dispose();
  dispose();
  return { ...result, leaked: tf.memory().numTensors - start };
}

describe('Optimizer.prepareStep', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('runs the same update as step() for every fixture case, the lr changing every step', async () => {
    for (const c of fixture.cases) {
      const eager = await train(c, false);
      const split = await train(c, true);
      const name = `${c.optimizer} ${JSON.stringify(c.options)}`;
      expect(split.bits, name).toEqual(eager.bits);
      expect(split.counters, name).toEqual(eager.counters);
      // (makeProblem leaves W's and b's initial tensors behind, on both paths alike.)
      expect(split.leaked, name).toBe(eager.leaked);
      // Only SGD with momentum needs its first update eager (it makes the momentum buffer).
      const momentum = c.optimizer === 'SGD' && ((c.options as { momentum?: number }).momentum ?? 0) > 0;
      expect(split.reasons, name).toEqual(
        momentum ? ['SGD: the momentum buffer is created from the first gradient'] : [],
      );
    }
  });

  it('says why a step must run eagerly: skipNonFinite', () => {
    const { W, b, dispose } = makeProblem();
    const opt = buildOptimizer({ optimizer: 'Adam', options: { skipNonFinite: true } }, W, b);
    expect(opt.prepareStep([W, b])).toMatch(/skipNonFinite/);
    opt.dispose();
    dispose();
  });

  it('keeps the counters of a parameter whose traced update got no gradient', () => {
    const { W, b, loss, dispose } = makeProblem();
    const opt = buildOptimizer({ optimizer: 'Adam', options: { fused: false } }, W, b);
    const { value, grads } = valueAndGrads(loss, [W, b]);
    grads.get(b)?.dispose();
    grads.delete(b);
    const prepared = opt.prepareStep([W, b]);
    if (typeof prepared === 'string') throw new Error(prepared);
    const scalars = prepared.scalars.map((v) => tf.scalar(v));
    prepared.update(grads, scalars);
    prepared.commit();
    expect(opt.state.get(W)?.step).toBe(1);
    expect(opt.state.get(b)?.step).toBe(0);
    expect(opt.stepCount).toBe(1);
    tf.dispose([value, ...grads.values(), ...scalars]);
    opt.dispose();
    dispose();
  });
});
