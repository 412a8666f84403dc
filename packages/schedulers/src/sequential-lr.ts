import { NntkError } from '@nntk/core';
import type { Optimizer, SchedulerKind } from '@nntk/optim';
import { commonKind } from './internal/common-kind';
import { LRScheduler, type SchedulerStateDict } from './lr-scheduler';

/**
 * Runs schedulers one after another, switching at the milestone epochs (for example `LinearLR` warm-up
 * then `CosineAnnealingLR`), with PyTorch's semantics: at a milestone the next scheduler starts from its
 * epoch 0 in closed form.
 */
export class SequentialLR extends LRScheduler {
  override readonly kind: SchedulerKind;
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];

  constructor(optimizer: Optimizer, options: { schedulers: LRScheduler[]; milestones: number[] }) {
    super(optimizer);
    const { schedulers, milestones } = options ?? ({} as typeof options);
    if (
      !Array.isArray(schedulers) ||
      schedulers.length === 0 ||
      schedulers.some((s) => s.optimizer !== optimizer)
    ) {
      throw new NntkError(
        'INVALID_OPTION',
        "SequentialLR: option 'schedulers' must be a non-empty array of schedulers of this optimizer",
      );
    }
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new NntkError(
        'INVALID_OPTION',
        `SequentialLR: option 'milestones' needs ${schedulers.length - 1} entries (one fewer than schedulers), got ${JSON.stringify(milestones)}`,
      );
    }
    this.kind = commonKind('SequentialLR', schedulers);
    this.schedulers = schedulers;
    this.milestones = milestones;
    this.lastEpoch = 0;
    for (const group of optimizer.paramGroups) group.lr = group.initialLr as number;
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0].restart();
    this.lastLr = schedulers[0].getLastLr();
  }

  protected computeLr(): number[] {
    return this.groupLrs();
  }

  override step(): void {
    this.lastEpoch += 1;
    const index = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[index];
    if (index > 0 && this.milestones[index - 1] === this.lastEpoch) scheduler.stepTo(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(state: SchedulerStateDict): void {
    super.loadStateDict(state);
    const inner = state.schedulers as SchedulerStateDict[];
    this.schedulers.forEach((s, i) => {
      s.loadStateDict(inner[i]);
    });
  }
}
