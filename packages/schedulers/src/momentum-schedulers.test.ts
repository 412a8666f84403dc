import { useBackend } from '@nntk/core';
import { Adagrad, Adam, type Optimizer, SGD } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from '../../../fixtures/schedulers/lr-sequences.json';
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  type CyclicLROptions,
  ExponentialLR,
  OneCycleLR,
  type OneCycleLROptions,
} from './index';

function optimizer(kind: string) {
  const a = tf.variable(tf.zeros([1]));
  const b = tf.variable(tf.zeros([1]));
  const groups = [{ params: [a] }, { params: [b], lr: 0.05 }];
  const opt: Optimizer =
    kind === 'Adam' ? new Adam(groups, { lr: 0.1 }) : new SGD(groups, { lr: 0.1, momentum: 0.9 });
  return { opt, dispose: () => tf.dispose([a, b]) };
}

type Steppable = {
  step(): void;
  stateDict(): Record<string, unknown>;
  loadStateDict(s: Record<string, unknown>): void;
};
// biome-ignore lint/suspicious/noExplicitAny: options come from JSON
const builders: Record<string, (o: Optimizer, options: any) => Steppable> = {
  CosineAnnealingWarmRestarts: (o, x) => new CosineAnnealingWarmRestarts(o, x),
  CyclicLR: (o, x: CyclicLROptions) => new CyclicLR(o, x),
  OneCycleLR: (o, x: OneCycleLROptions) => new OneCycleLR(o, x),
  ChainedScheduler: (o, x) =>
    new ChainedScheduler([new ConstantLR(o, x.constant), new ExponentialLR(o, x.exponential)]),
};

function momentumOf(group: Record<string, unknown>): number | null {
  if (Array.isArray(group.betas)) return group.betas[0];
  return typeof group.momentum === 'number' ? group.momentum : null;
}

function expectClose(actual: number[], expected: (number | null)[], where: string) {
  expected.forEach((e, i) => {
    if (e === null) return;
    expect(Math.abs(actual[i] - e), `${where} group ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(
      1e-7 * Math.max(1, Math.abs(e)),
    );
  });
}

describe('cycling schedulers match PyTorch 1.13 (lr and momentum) to 1e-7', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const c of reference.momentumCases) {
    it(`${c.scheduler} on ${c.optimizer} ${JSON.stringify(c.options)}`, () => {
      const { opt, dispose } = optimizer(c.optimizer);
      const scheduler = builders[c.scheduler](opt, c.options);
      const check = (step: number) => {
        expectClose(
          opt.paramGroups.map((g) => g.lr as number),
          c.lrs[step],
          `lr at step ${step}`,
        );
        expectClose(
          opt.paramGroups.map((g) => momentumOf(g) as number),
          c.momentums[step],
          `momentum at step ${step}`,
        );
      };
      check(0);
      for (let step = 1; step <= c.steps; step++) {
        scheduler.step();
        check(step);
      }
      dispose();
    });

    it(`${c.scheduler} ${JSON.stringify(c.options)}: resumes exactly from a JSON state dict`, () => {
      const first = optimizer(c.optimizer);
      const a = builders[c.scheduler](first.opt, c.options);
      for (let i = 0; i < 9; i++) a.step();
      const saved = JSON.parse(
        JSON.stringify({ optimizer: first.opt.stateDict(), scheduler: a.stateDict() }),
      );
      const second = optimizer(c.optimizer);
      const b = builders[c.scheduler](second.opt, c.options);
      second.opt.loadStateDict(saved.optimizer);
      b.loadStateDict(saved.scheduler);
      for (let step = 10; step <= c.steps; step++) {
        b.step();
        expectClose(
          second.opt.paramGroups.map((g) => g.lr as number),
          c.lrs[step],
          `resumed lr at step ${step}`,
        );
        expectClose(
          second.opt.paramGroups.map((g) => momentumOf(g) as number),
          c.momentums[step],
          `resumed momentum at step ${step}`,
        );
      }
      first.dispose();
      second.dispose();
    });
  }

  it('CosineAnnealingWarmRestarts.step(epoch) with fractional epochs', () => {
    const a = tf.variable(tf.zeros([1]));
    const opt = new SGD([a], { lr: 0.1 });
    const scheduler = new CosineAnnealingWarmRestarts(opt, { t0: 3, tMult: 2 });
    const { epochs, lrs } = reference.warmRestartsFractional;
    epochs.forEach((epoch, i) => {
      scheduler.step(epoch);
      expect(Math.abs((opt.paramGroups[0].lr as number) - lrs[i]), `epoch ${epoch}`).toBeLessThanOrEqual(
        1e-9,
      );
    });
    a.dispose();
  });

  it('OneCycleLR refuses to step past totalSteps and names the count', () => {
    const { opt, dispose } = optimizer('SGD');
    const scheduler = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 3 });
    scheduler.step();
    scheduler.step();
    scheduler.step();
    expect(() => scheduler.step()).toThrow('OneCycleLR: stepped 5 times, but totalSteps is 3');
    expect(() => new OneCycleLR(opt, { maxLr: 0.1 })).toThrow(
      /give 'totalSteps', or both 'epochs' and 'stepsPerEpoch'/,
    );
    dispose();
  });

  it('cycleMomentum needs momentum or betas', () => {
    const a = tf.variable(tf.zeros([1]));
    const opt = new Adagrad([a]);
    expect(() => new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1 })).toThrow(
      /needs an optimizer with 'momentum' or 'betas'; set cycleMomentum: false/,
    );
    a.dispose();
  });
});
