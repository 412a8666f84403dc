import { check } from '@nntk/core';
import type { Optimizer, SchedulerKind } from '@nntk/optim';
import { type Factor, factorsFor } from './internal/lr-lambdas';
import { LRScheduler } from './lr-scheduler';
import type { Schedule } from './schedules';

export interface ScheduleLROptions {
  /** The learning rate at each step (a pure `schedules.*` function), or one schedule per parameter group. */
  schedule: Schedule | Schedule[];
  /** When the loop steps it: after every optimizer step (default, as optax) or every epoch. */
  kind?: Exclude<SchedulerKind, 'metric'>;
}

/**
 * Drives the optimizer with any pure schedule, as optax applies a schedule: `lr = schedule(t)` for step
 * (or epoch) `t`, starting at `t = 0` on construction. Unlike `LambdaLR`, the schedule gives the learning
 * rate itself, not a factor of the initial one.
 */
export class ScheduleLR extends LRScheduler {
  override readonly kind: Exclude<SchedulerKind, 'metric'>;
  private readonly schedules: Factor[];

  constructor(optimizer: Optimizer, options: ScheduleLROptions) {
    super(optimizer);
    this.kind = check.oneOf('ScheduleLR', 'kind', options?.kind ?? 'step', ['step', 'epoch']);
    this.schedules = factorsFor('ScheduleLR', optimizer, options?.schedule, 'schedule');
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.schedules.map((schedule) => schedule(this.lastEpoch));
  }
}
