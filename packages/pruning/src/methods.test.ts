import { Module, Parameter, seed, useBackend } from '@nntk/core';
import { Conv2d, Linear, Sequential } from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import globalCase from '../../../fixtures/pruning/global.json';
import masks from '../../../fixtures/pruning/masks.json';
import {
  customFromMask,
  globalUnstructured,
  isPruned,
  l1Unstructured,
  lnStructured,
  type PruningAmount,
  randomStructured,
  randomUnstructured,
  remove,
} from './index';

beforeAll(async () => {
  await useBackend('cpu');
});

/** A bare module holding one parameter called `weight`, so any fixture shape can be pruned. */
class Holder extends Module {
  weight: Parameter;
  constructor(values: number[], shape: number[]) {
    super();
    this.weight = tf.tidy(() => new Parameter(tf.tensor(values, shape), { name: 'weight' }));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.matMul(x as tf.Tensor2D, this.weight as tf.Tensor2D);
  }
}

function maskOf(module: Module): number[] {
  return Array.from((module as unknown as { weight_mask: tf.Variable }).weight_mask.dataSync());
}

type Round = { method: string; amount: PruningAmount; n?: number | 'inf'; dim?: number };

describe('masks equal torch.nn.utils.prune on fixture weights', () => {
  for (const [name, fixture] of Object.entries(masks)) {
    it(`${name}: ${(fixture.rounds as Round[]).map((r) => r.method).join(' then ')}`, async () => {
      const holder = new Holder(fixture.weight, fixture.shape);
      for (const [i, round] of (fixture.rounds as Round[]).entries()) {
        if (round.method === 'l1Unstructured')
          await l1Unstructured(holder, 'weight', { amount: round.amount });
        else {
          const n = round.n === 'inf' ? Number.POSITIVE_INFINITY : (round.n as number);
          await lnStructured(holder, 'weight', { amount: round.amount, n, dim: round.dim });
        }
        expect(maskOf(holder), `round ${i + 1}`).toEqual(fixture.masks[i]);
      }
      const w = holder.weight.dataSync();
      const mask = maskOf(holder);
      for (let i = 0; i < w.length; i++) expect(w[i] === 0).toBe(mask[i] === 0 || fixture.weight[i] === 0);
      holder.dispose();
    });
  }

  it('globalUnstructured: one threshold across a Linear pair and a Conv2d, respecting an earlier mask', async () => {
    const holders = globalCase.shapes.map((shape, i) => new Holder(globalCase.weights[i], shape));
    await l1Unstructured(holders[globalCase.preprune.index], 'weight', {
      amount: globalCase.preprune.amount,
    });
    const targets = holders.map((h) => [h, 'weight'] as [Module, string]);
    await globalUnstructured(targets, { amount: 0.6 });
    expect(holders.map(maskOf)).toEqual(globalCase.afterGlobal);
    await globalUnstructured(targets, { amount: 10 });
    expect(holders.map(maskOf)).toEqual(globalCase.afterSecondGlobal);
    for (const h of holders) h.dispose();
  });

  it('hand-worked: w = [0.5, −0.1, 0.3, −0.2, 0.05], amount 0.5 prunes round(2.5) = 2 (half to even, as Python)', async () => {
    // |w| sorted: 0.05 (index 4), 0.1 (index 1), 0.2, 0.3, 0.5. 0.5 · 5 = 2.5, Python's round gives 2 (Math.round
    // would give 3), so the two smallest go: mask [1, 0, 1, 1, 0]. A second round of 0.5 acts on the 3 left:
    // round(1.5) = 2 more, the smallest of {0.5, 0.3, 0.2}: 0.2 (index 3) and 0.3 (index 2) -> [1, 0, 0, 0, 0].
    const holder = new Holder([0.5, -0.1, 0.3, -0.2, 0.05], [5, 1]);
    await l1Unstructured(holder, 'weight', { amount: 0.5 });
    expect(maskOf(holder)).toEqual([1, 0, 1, 1, 0]);
    await l1Unstructured(holder, 'weight', { amount: 0.5 });
    expect(maskOf(holder)).toEqual([1, 0, 0, 0, 0]);
    expect(Array.from(holder.weight.dataSync(), Math.abs)).toEqual([0.5, 0, 0, 0, 0]);
    holder.dispose();
  });

  it('ties prune the lower index first (documented; PyTorch leaves the order of ties unspecified)', async () => {
    const holder = new Holder([1, 1, 1, 1], [4, 1]);
    await l1Unstructured(holder, 'weight', { amount: 2 });
    expect(maskOf(holder)).toEqual([0, 0, 1, 1]);
    holder.dispose();
  });
});

describe('random methods, custom masks, remove', () => {
  it('randomUnstructured and randomStructured prune the right counts, reproducibly under seed()', async () => {
    const run = async () => {
      seed(3);
      const layer = new Linear(10, 8);
      await randomUnstructured(layer, 'weight', { amount: 0.25 });
      const unstructured = maskOf(layer);
      const conv = new Conv2d(3, 6, 3);
      await randomStructured(conv, 'weight', { amount: 0.5 });
      const structured = maskOf(conv);
      layer.dispose();
      conv.dispose();
      return { unstructured, structured };
    };
    const a = await run();
    expect(a.unstructured.filter((v) => v === 0)).toHaveLength(20);
    const deadChannels = [0, 1, 2, 3, 4, 5].filter((c) =>
      a.structured.every((v, i) => i % 6 !== c || v === 0),
    );
    expect(deadChannels).toHaveLength(3);
    expect(a.structured.filter((v) => v === 0)).toHaveLength(3 * 27);
    expect(await run()).toEqual(a);
  });

  it('customFromMask multiplies into the existing mask; remove makes it permanent; isPruned sees nested modules', async () => {
    const layer = new Linear(2, 2);
    const model = new Sequential(layer);
    expect(isPruned(model)).toBe(false);
    await customFromMask(layer, 'weight', [1, 0, 1, 1]);
    await customFromMask(layer, 'weight', tf.tensor2d([1, 1, 0, 1], [2, 2]));
    expect(maskOf(layer)).toEqual([1, 0, 0, 1]);
    expect(isPruned(model)).toBe(true);
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '0.weight_mask']);
    const before = tf.memory().numTensors;
    remove(layer, 'weight');
    expect(tf.memory().numTensors).toBe(before - 1);
    expect(isPruned(model)).toBe(false);
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias']);
    const w = layer.weight.dataSync();
    expect([w[1], w[2]].map(Math.abs)).toEqual([0, 0]);
    model.dispose();
  });

  it('bad input: clear errors naming the module and parameter', async () => {
    const layer = new Linear(3, 2);
    await expect(l1Unstructured(layer, 'weights', { amount: 0.5 })).rejects.toThrow(
      "l1Unstructured: Linear has no parameter 'weights' (its parameters: 'weight', 'bias')",
    );
    await expect(l1Unstructured(layer, 'weight', { amount: 1.5 })).rejects.toThrow(
      "l1Unstructured: option 'amount' must be a fraction in [0, 1], an integer count > 1 or { count: n } with n >= 0, got 1.5",
    );
    await expect(l1Unstructured(layer, 'weight', { amount: 7 })).rejects.toThrow(
      'l1Unstructured: amount 7 is larger than the 6 unpruned entries of Linear.weight left to prune',
    );
    await expect(lnStructured(layer, 'bias', { amount: 0.5, n: 2 })).rejects.toThrow(
      'lnStructured: structured pruning needs a tensor with at least 2 dimensions, but Linear.bias has shape [2]',
    );
    await expect(lnStructured(layer, 'weight', { amount: 0.5, n: 2, dim: 2 })).rejects.toThrow(
      'lnStructured: dim 2 is out of range for Linear.weight of shape [3,2] (allowed: -2 to 1)',
    );
    await expect(customFromMask(layer, 'weight', [1, 0])).rejects.toThrow(
      'customFromMask: the mask for Linear.weight must have shape [3,2], got 2 values',
    );
    expect(() => remove(layer, 'weight')).toThrow("remove: parameter 'weight' of Linear has not been pruned");
    expect(isPruned(layer)).toBe(false);
    layer.dispose();
  });
});
