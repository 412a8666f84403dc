import { NntkError } from '@nntk/core';
import type { Optimizer, Scheduler, SchedulerKind } from '@nntk/optim';

/** What a scheduler saves: its counters and per-group values, all JSON-safe. */
export type SchedulerStateDict = Record<string, unknown>;

/**
 * Base of the epoch/step schedulers, after `torch.optim.lr_scheduler._LRScheduler`: construction records
 * each group's `initialLr` and takes the initial step (epoch 0); every `step()` advances `lastEpoch` and
 * writes the new learning rates into the optimizer's groups. Subclasses give PyTorch's chainable
 * `computeLr()` (from the groups' current lr), so chained and sequential schedulers compose as in PyTorch.
 */
export abstract class LRScheduler implements Scheduler {
  /** Stepped once per epoch unless a subclass says otherwise (`OneCycleLR` and `CyclicLR`: per step). */
  readonly kind: SchedulerKind = 'epoch';
  lastEpoch = -1;
  baseLrs: number[];
  protected stepCount = 0;
  protected lastLr: number[] = [];

  constructor(readonly optimizer: Optimizer) {
    for (const group of optimizer.paramGroups) {
      if (typeof group.lr !== 'number') {
        throw new NntkError(
          'INVALID_OPTION',
          `${this.constructor.name}: a group's lr is a function; schedulers need numeric learning rates`,
        );
      }
      if (group.initialLr === undefined) group.initialLr = group.lr;
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
  }

  /** Takes the initial step again (used by `SequentialLR`, as PyTorch's `_initial_step`). */
  restart(): void {
    this.initialStep();
  }

  /** Subclass constructors call this once their options are set (PyTorch's `_initial_step`). */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The learning rates for `lastEpoch`, from the groups' current values (PyTorch's `get_lr`). */
  protected abstract computeLr(): number[];

  /** PyTorch's `_get_closed_form_lr`, used when a scheduler is stepped to a given epoch. */
  protected closedFormLr(): number[] {
    return this.computeLr();
  }

  /** Jumps to `epoch` using the closed form (what `SequentialLR` does at a milestone). */
  stepTo(epoch: number): void {
    this.stepCount += 1;
    this.lastEpoch = epoch;
    this.applyLrs(this.closedFormLr());
  }

  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr as number);
  }

  /** Advances one epoch (or step) and writes the new learning rates into the optimizer. */
  step(): void {
    this.stepCount += 1;
    this.lastEpoch += 1;
    this.applyLrs(this.computeLr());
  }

  protected applyLrs(lrs: number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.lastLr = [...lrs];
  }

  /** The learning rates the last `step()` set, one per parameter group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return {
      lastEpoch: this.lastEpoch,
      stepCount: this.stepCount,
      baseLrs: [...this.baseLrs],
      lastLr: [...this.lastLr],
    };
  }

  loadStateDict(state: SchedulerStateDict): void {
    const ok =
      typeof state?.lastEpoch === 'number' &&
      Array.isArray(state.baseLrs) &&
      state.baseLrs.length === this.baseLrs.length;
    if (!ok) {
      throw new NntkError(
        'STATE_DICT_MISMATCH',
        `${this.constructor.name}.loadStateDict: expected a state with lastEpoch and ${this.baseLrs.length} baseLrs, got ${JSON.stringify(state)}`,
      );
    }
    this.lastEpoch = state.lastEpoch as number;
    this.stepCount = (state.stepCount as number) ?? 0;
    this.baseLrs = [...(state.baseLrs as number[])];
    this.lastLr = [...((state.lastLr as number[]) ?? [])];
  }
}
