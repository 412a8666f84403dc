import { NntkError } from '@nntk/core';
import type { Optimizer, Scheduler, SchedulerKind } from '@nntk/optim';
import { commonKind } from './internal/common-kind';
import type { LRScheduler, SchedulerStateDict } from './lr-scheduler';

/** Steps several schedulers of one optimizer together, each scaling the lr the previous one set. */
export class ChainedScheduler implements Scheduler {
  readonly kind: SchedulerKind;
  readonly optimizer: Optimizer;
  private lastLr: number[];

  constructor(readonly schedulers: LRScheduler[]) {
    if (
      !Array.isArray(schedulers) ||
      schedulers.length === 0 ||
      schedulers.some((s) => s.optimizer !== schedulers[0].optimizer)
    ) {
      throw new NntkError(
        'INVALID_OPTION',
        'ChainedScheduler: expected a non-empty array of schedulers that share one optimizer',
      );
    }
    this.kind = commonKind('ChainedScheduler', schedulers);
    this.optimizer = schedulers[0].optimizer;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr as number);
  }

  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr as number);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return { lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(state: SchedulerStateDict): void {
    const inner = state?.schedulers as SchedulerStateDict[] | undefined;
    if (!Array.isArray(inner) || inner.length !== this.schedulers.length) {
      throw new NntkError(
        'STATE_DICT_MISMATCH',
        `ChainedScheduler.loadStateDict: expected ${this.schedulers.length} scheduler states`,
      );
    }
    this.schedulers.forEach((s, i) => {
      s.loadStateDict(inner[i]);
    });
    this.lastLr = [...(state.lastLr as number[])];
  }
}
