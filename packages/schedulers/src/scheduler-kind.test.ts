import { NntkError, useBackend } from '@nntk/core';
import { type Scheduler, SGD, toTfjsOptimizer } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  CosineAnnealingLR,
  CyclicLR,
  ExponentialLR,
  LinearLR,
  OneCycleLR,
  ReduceLROnPlateau,
  ScheduleLR,
  SequentialLR,
  StepLR,
  schedules,
} from './index';

const owned: tf.Variable[] = [];
function sgd(lr = 0.1, momentum = 0.9) {
  const v = tf.variable(tf.zeros([2]));
  owned.push(v);
  return new SGD([v], { lr, momentum });
}

beforeAll(async () => {
  await useBackend('cpu');
});
afterEach(() => {
  tf.dispose(owned.splice(0));
});

describe('one scheduler contract', () => {
  it('every scheduler states when it is stepped', () => {
    const kinds: Array<[Scheduler, Scheduler['kind']]> = [
      [new StepLR(sgd(), { stepSize: 2 }), 'epoch'],
      [new CosineAnnealingLR(sgd(), { tMax: 5 }), 'epoch'],
      [new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10 }), 'step'],
      [new CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1 }), 'step'],
      [new ReduceLROnPlateau(sgd()), 'metric'],
      [new ScheduleLR(sgd(), { schedule: schedules.constant(0.1) }), 'step'],
      [new ScheduleLR(sgd(), { schedule: schedules.constant(0.1), kind: 'epoch' }), 'epoch'],
    ];
    for (const [scheduler, kind] of kinds) expect(scheduler.kind).toBe(kind);
  });

  it('composites take the kind of their parts and reject a mix', () => {
    const a = sgd();
    expect(
      new ChainedScheduler([new StepLR(a, { stepSize: 1 }), new ExponentialLR(a, { gamma: 0.9 })]).kind,
    ).toBe('epoch');
    const b = sgd();
    const mixed = () =>
      new SequentialLR(b, {
        schedulers: [new LinearLR(b, { totalIters: 2 }), new OneCycleLR(b, { maxLr: 1, totalSteps: 10 })],
        milestones: [2],
      });
    expect(mixed).toThrow(NntkError);
    expect(mixed).toThrow(/stepped at different moments \(epoch and step\)/);
  });

  it('toTfjsOptimizer refuses a metric scheduler (there is no metric per batch)', () => {
    const opt = sgd();
    expect(() => toTfjsOptimizer(opt, { scheduler: new ReduceLROnPlateau(opt) })).toThrow(
      /'metric' scheduler/,
    );
  });
});

describe('the pure schedules are the single source of the maths', () => {
  const cases = [
    { pctStart: 0.3, annealStrategy: 'cos' as const, threePhase: false },
    { pctStart: 0.25, annealStrategy: 'linear' as const, threePhase: false },
    { pctStart: 0.3, annealStrategy: 'cos' as const, threePhase: true },
  ];
  for (const options of cases) {
    it(`OneCycleLR follows schedules.oneCycle (${JSON.stringify(options)})`, () => {
      const totalSteps = 20;
      const opt = sgd();
      const scheduler = new OneCycleLR(opt, { maxLr: 0.5, totalSteps, ...options });
      const schedule = schedules.oneCycle(totalSteps, 0.5, options);
      for (let t = 0; t < totalSteps; t++) {
        expect(scheduler.getLastLr()[0]).toBeCloseTo(schedule(t), 12);
        if (t < totalSteps - 1) scheduler.step();
      }
    });
  }

  it('CosineAnnealingLR in closed form equals schedules.cosine within tMax', () => {
    const opt = sgd(0.2);
    const scheduler = new CosineAnnealingLR(opt, { tMax: 8, etaMin: 0.02 });
    const schedule = schedules.cosine(0.2, 8, 0.1);
    for (let t = 0; t <= 8; t++) {
      scheduler.stepTo(t);
      expect(scheduler.getLastLr()[0]).toBeCloseTo(schedule(t), 12);
    }
  });

  it('ScheduleLR drives the optimizer with any pure schedule, per group, and resumes exactly', () => {
    const v = tf.variable(tf.zeros([1]));
    const w = tf.variable(tf.zeros([1]));
    owned.push(v, w);
    const make = () => new SGD([{ params: [v] }, { params: [w], lr: 0.05 }], { lr: 0.1 });
    const warm = schedules.warmupCosine(0, 1, 3, 10);
    const opt = make();
    const scheduler = new ScheduleLR(opt, { schedule: [warm, (t) => warm(t) / 2] });
    const seen: number[][] = [];
    for (let t = 0; t < 6; t++) {
      seen.push(opt.paramGroups.map((g) => g.lr as number));
      scheduler.step();
    }
    for (const [t, lrs] of seen.entries()) expect(lrs).toEqual([warm(t), warm(t) / 2]);
    const resumed = new ScheduleLR(make(), { schedule: [warm, (t) => warm(t) / 2] });
    resumed.loadStateDict(scheduler.stateDict());
    resumed.step();
    scheduler.step();
    expect(resumed.getLastLr()).toEqual(scheduler.getLastLr());
    expect(() => new ScheduleLR(make(), { schedule: [warm] })).toThrow(/option 'schedule' must be/);
  });
});
