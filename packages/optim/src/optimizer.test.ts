import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  joinStateTensors,
  loadSafetensors,
  NntkError,
  Parameter,
  saveSafetensors,
  splitStateTensors,
  useBackend,
} from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, AdamW, SGD } from './index';
import type { OptimizerStateDict } from './optimizer';
import { buildOptimizer, caseName, fixture, makeProblem, trainStep } from './test-helpers';

describe('Optimizer', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('hand-worked Adam step', () => {
    // θ = 1, g = 2 (loss θ²), lr = 0.1, β = (0.9, 0.999), ε = 1e-8, step 1:
    // m = 0.1·2 = 0.2; v = 0.001·4 = 0.004; step size = 0.1 / (1 − 0.9) = 1;
    // denom = √0.004 / √(1 − 0.999) + 1e-8 = 0.063246 / 0.031623 + 1e-8 = 2.00000001;
    // θ ← 1 − 1 · 0.2 / 2.00000001 = 0.9 (the first Adam step moves by lr·sign(g)).
    const theta = tf.variable(tf.scalar(1));
    const opt = new Adam([theta], { lr: 0.1 });
    const grad = tf.scalar(2);
    opt.step(new Map([[theta, grad]]));
    expect(theta.dataSync()[0]).toBeCloseTo(0.9, 6);
    // AdamW with weightDecay 0.5 first scales θ by (1 − 0.1·0.5) = 0.95, then the same step: 0.85.
    const phi = tf.variable(tf.scalar(1));
    const adamw = new AdamW([phi], { lr: 0.1, weightDecay: 0.5 });
    adamw.step(new Map([[phi, grad]]));
    expect(phi.dataSync()[0]).toBeCloseTo(0.85, 6);
    opt.dispose();
    adamw.dispose();
    tf.dispose([theta, phi, grad]);
  });

  it('accepts valueAndGrads results, Maps and NamedTensorMaps alike', () => {
    const results = ['valueAndGrads', 'map', 'named'].map((form) => {
      const { W, b, loss, dispose } = makeProblem();
      const opt = new SGD([W, b], { lr: 0.1 });
      const { value, grads } = tf.variableGrads(loss, [W, b]);
      const map = new Map<tf.Variable, tf.Tensor>([
        [W, grads[W.name]],
        [b, grads[b.name]],
      ]);
      if (form === 'valueAndGrads') opt.step({ grads: map });
      else if (form === 'map') opt.step(map);
      else opt.step(grads);
      const out = Array.from(W.dataSync());
      tf.dispose([value, ...Object.values(grads)]);
      dispose();
      return out;
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('skips parameters without gradients and rejects a gradient of the wrong shape, naming it', () => {
    const a = new Parameter(tf.ones([2]), { name: 'a' });
    const c = new Parameter(tf.ones([2]), { name: 'c' });
    const opt = new SGD([a, c], { lr: 1 });
    const g = tf.ones([2]);
    opt.step(new Map([[a, g]]));
    expect(Array.from(a.dataSync())).toEqual([0, 0]);
    expect(Array.from(c.dataSync())).toEqual([1, 1]);
    const wrong = tf.ones([3]);
    expect(() => opt.step(new Map([[c, wrong]]))).toThrow(
      /gradient for 'c_\d+' has shape \[3\], the parameter has \[2\]/,
    );
    tf.dispose([a, c, g, wrong]);
  });

  it('validates options with messages that name the option', () => {
    const v = tf.variable(tf.ones([1]));
    expect(() => new Adam([v], { lr: -1 })).toThrow("Adam: option 'lr' must be a finite number >= 0, got -1");
    expect(() => new Adam([v], { betas: [0.9, 1] })).toThrow(
      "Adam: option 'betas' must be two numbers in [0, 1), got [0.9,1]",
    );
    expect(() => new SGD([v], { lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(
      /'nesterov' requires momentum > 0 and dampening = 0/,
    );
    expect(() => new Adam([])).toThrow(/empty parameter list/);
    expect(() => new Adam([{ params: [v] }, { params: [v], lr: 0.1 }])).toThrow(
      /appears in more than one parameter group/,
    );
    expect(() => new SGD([v], {} as { lr: number })).toThrow(/'lr' is required/);
    const error = (() => {
      try {
        new Adam([v], { eps: -1 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NntkError);
    v.dispose();
  });

  it('uses per-group options, and a mutated group lr takes effect at the next step', () => {
    const w = tf.variable(tf.scalar(1));
    const bias = tf.variable(tf.scalar(1));
    const opt = new SGD([{ params: [w] }, { params: [bias], lr: 0.5 }], { lr: 0.1 });
    const one = tf.scalar(1);
    opt.step(
      new Map([
        [w, one],
        [bias, one],
      ]),
    );
    expect(w.dataSync()[0]).toBeCloseTo(0.9, 6);
    expect(bias.dataSync()[0]).toBeCloseTo(0.5, 6);
    opt.paramGroups[0].lr = 0.01;
    opt.step(new Map([[w, one]]));
    expect(w.dataSync()[0]).toBeCloseTo(0.89, 6);
    opt.addParamGroup({ params: [tf.variable(tf.scalar(0))], lr: 1 });
    expect(opt.paramGroups).toHaveLength(3);
    tf.dispose([w, bias, one, ...opt.paramGroups[2].params]);
  });

  it('takes a schedule function as lr', () => {
    const w = tf.variable(tf.scalar(0));
    const opt = new SGD([w], { lr: (step) => 0.1 * (step + 1) });
    const one = tf.scalar(1);
    for (let i = 0; i < 3; i++) opt.step(new Map([[w, one]]));
    expect(w.dataSync()[0]).toBeCloseTo(-(0.1 + 0.2 + 0.3), 6);
    tf.dispose([w, one]);
  });

  it('skips and counts steps with non-finite gradients when asked', async () => {
    const w = tf.variable(tf.scalar(1));
    const opt = new Adam([w], { skipNonFinite: true });
    const nan = tf.scalar(Number.NaN);
    opt.step(new Map([[w, nan]]));
    expect(await opt.settled()).toBe(false);
    expect(opt.skippedSteps).toBe(1);
    expect(opt.stepCount).toBe(0);
    expect(w.dataSync()[0]).toBe(1);
    tf.dispose([w, nan]);
    opt.dispose();
  });

  it('N steps, save to safetensors, load into a fresh optimizer, M steps equals N+M straight (bit for bit)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nntk-optim-'));
    for (const c of fixture.cases) {
      const straight = makeProblem();
      const optA = buildOptimizer(c, straight.W, straight.b);
      for (let i = 0; i < 10; i++) trainStep(optA, straight.loss, [straight.W, straight.b]);

      const resumed = makeProblem();
      const optB = buildOptimizer(c, resumed.W, resumed.b);
      for (let i = 0; i < 6; i++) trainStep(optB, resumed.loss, [resumed.W, resumed.b]);
      const state = optB.stateDict();
      const { json, tensors } = splitStateTensors(state);
      await saveSafetensors(join(dir, 'optim.safetensors'), { ...tensors, W: resumed.W, b: resumed.b });
      await writeFile(join(dir, 'optim.json'), JSON.stringify(json));
      tf.dispose(Object.values(tensors));
      optB.dispose();
      resumed.dispose();

      const fresh = makeProblem();
      const loaded = await loadSafetensors(join(dir, 'optim.safetensors'));
      fresh.W.assign(loaded.tensors.W as tf.Tensor2D);
      fresh.b.assign(loaded.tensors.b as tf.Tensor1D);
      const optC = buildOptimizer(c, fresh.W, fresh.b);
      optC.loadStateDict(
        joinStateTensors<OptimizerStateDict>(
          JSON.parse(await readFile(join(dir, 'optim.json'), 'utf8')),
          loaded.tensors,
        ),
      );
      tf.dispose(Object.values(loaded.tensors));
      for (let i = 0; i < 4; i++) trainStep(optC, fresh.loss, [fresh.W, fresh.b]);

      expect(Array.from(fresh.W.dataSync()), caseName(c)).toEqual(Array.from(straight.W.dataSync()));
      expect(Array.from(fresh.b.dataSync()), caseName(c)).toEqual(Array.from(straight.b.dataSync()));
      optA.dispose();
      optC.dispose();
      straight.dispose();
      fresh.dispose();
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects a state dict for other groups or shapes', () => {
    const { W, b, dispose } = makeProblem();
    const opt = new Adam([W, b]);
    const other = new Adam([W]);
    expect(() => opt.loadStateDict(other.stateDict())).toThrow(
      /group 0 has 1 parameters in the state and 2 here/,
    );
    const bad = { ...opt.stateDict(), state: { 0: { step: 1, expAvg: tf.zeros([9]) } } };
    expect(() => opt.loadStateDict(bad)).toThrow(/state 'expAvg' of parameter 0 has shape \[9\]/);
    tf.dispose(bad.state[0].expAvg);
    dispose();
  });
});
