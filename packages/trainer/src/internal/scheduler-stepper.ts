import { check, NntkError } from '@nntk/core';
import type { Optimizer, Scheduler } from '@nntk/optim';
import type { Logs } from '../callback';

/** How the Trainer steps its scheduler (see `TrainerOptions.schedulerInterval` / `schedulerMonitor`). */
export interface SchedulerStepperOptions {
  interval?: 'epoch' | 'step';
  monitor?: string;
}

/**
 * Drives one `Scheduler` by its `kind`, never by its class: a `'step'` scheduler (or any scheduler with
 * `interval: 'step'`) after every optimizer step, the others after every epoch, a `'metric'` one
 * (ReduceLROnPlateau) with the monitored log (default `val_loss`, or `loss` without validation).
 */
export class SchedulerStepper {
  readonly interval: 'epoch' | 'step';

  constructor(
    readonly scheduler: Scheduler | undefined,
    private readonly options: SchedulerStepperOptions = {},
  ) {
    this.interval = check.oneOf(
      'Trainer',
      'schedulerInterval',
      options.interval ?? (scheduler?.kind === 'step' ? 'step' : 'epoch'),
      ['epoch', 'step'],
    );
    if (scheduler?.kind === 'metric' && this.interval === 'step')
      throw new NntkError(
        'INVALID_OPTION',
        "Trainer: a 'metric' scheduler (ReduceLROnPlateau) steps once per epoch with the monitored log; drop schedulerInterval: 'step'",
      );
  }

  /** After every optimizer step. */
  afterStep(): void {
    if (this.scheduler && this.interval === 'step') this.scheduler.step();
  }

  /** After every epoch, with its logs (validation included). */
  afterEpoch(logs: Logs): void {
    const scheduler = this.scheduler;
    if (!scheduler || this.interval !== 'epoch') return;
    if (scheduler.kind !== 'metric') {
      scheduler.step();
      return;
    }
    const key = this.options.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
    if (!(key in logs))
      throw new NntkError(
        'INVALID_OPTION',
        `Trainer: schedulerMonitor '${key}' is not among the logs (${Object.keys(logs).join(', ')})`,
      );
    scheduler.step(logs[key]);
  }

  /** The learning rate in use: the scheduler's last one, else the optimizer's first group's. */
  currentLr(optimizer: Optimizer): number {
    return this.scheduler?.getLastLr()[0] ?? (optimizer.currentLr(optimizer.paramGroups[0]) as number);
  }
}
