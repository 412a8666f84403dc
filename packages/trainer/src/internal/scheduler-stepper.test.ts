import { SGD } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../test-support/tiny-run';
import { SchedulerStepper } from './scheduler-stepper';

beforeAll(async () => {
  await useCpu();
});

type Kind = 'step' | 'epoch' | 'metric';

/** A scheduler that records how it was stepped. */
function recording(kind: Kind) {
  const calls: (number | undefined)[] = [];
  return {
    calls,
    scheduler: {
      kind,
      step: (metric?: number) => {
        calls.push(metric);
      },
      getLastLr: () => [0.5],
      stateDict: () => ({}),
      loadStateDict: () => undefined,
    },
  };
}

describe('SchedulerStepper', () => {
  it("steps a 'step' scheduler after every optimizer step and never at epoch ends", () => {
    const { calls, scheduler } = recording('step');
    const stepper = new SchedulerStepper(scheduler);
    expect(stepper.interval).toBe('step');
    stepper.afterStep();
    stepper.afterStep();
    stepper.afterEpoch({ loss: 1 });
    expect(calls).toEqual([undefined, undefined]);
  });

  it("steps an 'epoch' scheduler once per epoch, or per step when asked", () => {
    const a = recording('epoch');
    const perEpoch = new SchedulerStepper(a.scheduler);
    perEpoch.afterStep();
    perEpoch.afterEpoch({ loss: 1 });
    expect(a.calls).toEqual([undefined]);
    const b = recording('epoch');
    const perStep = new SchedulerStepper(b.scheduler, { interval: 'step' });
    perStep.afterStep();
    perStep.afterEpoch({ loss: 1 });
    expect(b.calls).toEqual([undefined]);
  });

  it("gives a 'metric' scheduler val_loss, else loss, else the named monitor", () => {
    const a = recording('metric');
    new SchedulerStepper(a.scheduler).afterEpoch({ loss: 2, val_loss: 3 });
    new SchedulerStepper(a.scheduler).afterEpoch({ loss: 2 });
    new SchedulerStepper(a.scheduler, { monitor: 'val_accuracy' }).afterEpoch({ loss: 2, val_accuracy: 0.9 });
    expect(a.calls).toEqual([3, 2, 0.9]);
  });

  it('rejects a bad interval, a per-step metric scheduler and a monitor that is not logged', () => {
    const { scheduler } = recording('metric');
    expect(() => new SchedulerStepper(undefined, { interval: 'batch' as 'step' })).toThrow(
      /schedulerInterval/,
    );
    expect(() => new SchedulerStepper(scheduler, { interval: 'step' })).toThrow(/drop schedulerInterval/);
    expect(() => new SchedulerStepper(scheduler, { monitor: 'val_acc' }).afterEpoch({ loss: 1 })).toThrow(
      /schedulerMonitor 'val_acc' is not among the logs \(loss\)/,
    );
  });

  it("reports the scheduler's last rate, else the optimizer's", () => {
    const w = tf.variable(tf.zeros([2]));
    const optimizer = new SGD([w], { lr: 0.03 });
    expect(new SchedulerStepper(undefined).currentLr(optimizer)).toBeCloseTo(0.03, 12);
    expect(new SchedulerStepper(recording('epoch').scheduler).currentLr(optimizer)).toBe(0.5);
    w.dispose();
  });
});
