import { useBackend } from '@nntk/core';
import { SGD } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from '../../../fixtures/schedulers/lr-sequences.json';
import {
  ConstantLR,
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  type LRScheduler,
  MultiplicativeLR,
  MultiStepLR,
  PolynomialLR,
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  SequentialLR,
  StepLR,
  schedules,
} from './index';

function optimizer() {
  const a = tf.variable(tf.zeros([1]));
  const b = tf.variable(tf.zeros([1]));
  const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.05 }], { lr: 0.1, momentum: 0.9 });
  return { opt, dispose: () => tf.dispose([a, b]) };
}

type Opt = ReturnType<typeof optimizer>['opt'];
// biome-ignore lint/suspicious/noExplicitAny: options come from JSON
const builders: Record<string, (o: Opt, options: any) => LRScheduler> = {
  StepLR: (o, x) => new StepLR(o, x),
  MultiStepLR: (o, x) => new MultiStepLR(o, x),
  ConstantLR: (o, x) => new ConstantLR(o, x),
  LinearLR: (o, x) => new LinearLR(o, x),
  ExponentialLR: (o, x) => new ExponentialLR(o, x),
  PolynomialLR: (o, x) => new PolynomialLR(o, x),
  CosineAnnealingLR: (o, x) => new CosineAnnealingLR(o, x),
  LambdaLR: (o) => new LambdaLR(o, { lrLambda: (e) => 0.95 ** e }),
  MultiplicativeLR: (o) => new MultiplicativeLR(o, { lrLambda: () => 0.97 }),
  SequentialLR: (o) =>
    new SequentialLR(o, {
      schedulers: [
        new LinearLR(o, { startFactor: 0.01, endFactor: 1, totalIters: 5 }),
        new CosineAnnealingLR(o, { tMax: 12, etaMin: 0 }),
      ],
      milestones: [5],
    }),
};

function expectLrs(actual: number[], expected: number[], where: string) {
  expected.forEach((e, i) => {
    expect(Math.abs(actual[i] - e), `${where} group ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(
      1e-7 * Math.max(1, Math.abs(e)),
    );
  });
}

describe('schedulers match PyTorch 1.13 lr sequences to 1e-7', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const c of reference.cases) {
    it(`${c.scheduler} ${JSON.stringify(c.options)}`, () => {
      const { opt, dispose } = optimizer();
      const scheduler = builders[c.scheduler](opt, c.options);
      expectLrs(
        opt.paramGroups.map((g) => g.lr as number),
        c.lrs[0],
        'after construction',
      );
      for (let epoch = 1; epoch < c.lrs.length; epoch++) {
        scheduler.step();
        expectLrs(
          opt.paramGroups.map((g) => g.lr as number),
          c.lrs[epoch],
          `epoch ${epoch}`,
        );
        expectLrs(scheduler.getLastLr(), c.lrs[epoch], `getLastLr at epoch ${epoch}`);
      }
      dispose();
    });

    it(`${c.scheduler}: 12 steps, stateDict through JSON, fresh scheduler, the rest equals the straight run`, () => {
      const first = optimizer();
      const scheduler = builders[c.scheduler](first.opt, c.options);
      for (let i = 0; i < 12; i++) scheduler.step();
      const saved = JSON.parse(
        JSON.stringify({ optimizer: first.opt.stateDict(), scheduler: scheduler.stateDict() }),
      );
      const second = optimizer();
      const fresh = builders[c.scheduler](second.opt, c.options);
      second.opt.loadStateDict(saved.optimizer);
      fresh.loadStateDict(saved.scheduler);
      for (let epoch = 13; epoch < c.lrs.length; epoch++) {
        fresh.step();
        expectLrs(
          second.opt.paramGroups.map((g) => g.lr as number),
          c.lrs[epoch],
          `resumed epoch ${epoch}`,
        );
      }
      first.dispose();
      second.dispose();
    });
  }

  for (const p of reference.plateau) {
    it(`ReduceLROnPlateau ${JSON.stringify(p.options)}`, () => {
      const { opt, dispose } = optimizer();
      const scheduler = new ReduceLROnPlateau(opt, p.options as ReduceLROnPlateauOptions);
      p.metrics.forEach((metric, epoch) => {
        scheduler.step(metric);
        expectLrs(
          opt.paramGroups.map((g) => g.lr as number),
          p.lrs[epoch + 1],
          `epoch ${epoch + 1}`,
        );
        if (epoch === 9) {
          const restored = new ReduceLROnPlateau(opt, p.options as ReduceLROnPlateauOptions);
          restored.loadStateDict(JSON.parse(JSON.stringify(scheduler.stateDict())));
          expect(restored.stateDict()).toEqual(scheduler.stateDict());
        }
      });
      dispose();
    });
  }

  it('schedules.oneCycle equals OneCycleLR (cosine, no momentum cycling)', () => {
    const { totalSteps, maxLr, pctStart, lrs } = reference.oneCycle;
    const schedule = schedules.oneCycle(totalSteps, maxLr, { pctStart });
    lrs.forEach((lr, step) => {
      expect(Math.abs(schedule(step) - lr)).toBeLessThanOrEqual(1e-7);
    });
  });
});

describe('validation and pure schedules', () => {
  it('names bad options', () => {
    const { opt, dispose } = optimizer();
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(
      "StepLR: option 'stepSize' must be an integer >= 1, got 0",
    );
    expect(() => new ReduceLROnPlateau(opt, { mode: 'up' as 'min' })).toThrow(
      /option 'mode' must be one of 'min', 'max'/,
    );
    expect(() => new ReduceLROnPlateau(opt, { minLr: [0.1] })).toThrow(
      /'minLr' has 1 entries for 2 parameter groups/,
    );
    expect(
      () => new SequentialLR(opt, { schedulers: [new StepLR(opt, { stepSize: 2 })], milestones: [3] }),
    ).toThrow(/needs 0 entries/);
    dispose();
  });

  it('hand-worked warmupCosine: linear 0 → 1 over 10 steps, then cosine to 0 at step 30', () => {
    const s = schedules.warmupCosine(0, 1, 10, 30);
    expect(s(0)).toBe(0);
    expect(s(5)).toBeCloseTo(0.5, 12); // halfway up the warm-up
    expect(s(10)).toBeCloseTo(1, 12); // the peak
    expect(s(20)).toBeCloseTo(0.5, 12); // (1 + cos(π/2))/2 = 0.5, halfway down
    expect(s(30)).toBeCloseTo(0, 12);
  });

  it('composes plain schedules and drives an optimizer lr or a LambdaLR', () => {
    expect(schedules.piecewiseConstant(1, { 10: 0.1, 20: 0.5 })(25)).toBeCloseTo(0.05, 12);
    expect(schedules.exponential(1, 0.5, 10, true)(19)).toBe(0.5);
    expect(schedules.polynomial(1, 0, 10, 2)(5)).toBeCloseTo(0.25, 12);
    const { opt, dispose } = optimizer();
    const scheduler = new LambdaLR(opt, { lrLambda: schedules.linear(0, 1, 4) });
    scheduler.step();
    scheduler.step();
    expect(scheduler.getLastLr()).toEqual([0.05, 0.025]);
    dispose();
  });
});
