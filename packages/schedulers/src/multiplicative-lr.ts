import type { Optimizer } from '@nntk/optim';
import { type Factor, factorsFor } from './internal/lr-lambdas';
import { LRScheduler } from './lr-scheduler';

/** Multiplies the current lr by `lrLambda(epoch)` at every epoch after the first. */
export class MultiplicativeLR extends LRScheduler {
  private readonly lambdas: Factor[];

  constructor(optimizer: Optimizer, options: { lrLambda: Factor | Factor[] }) {
    super(optimizer);
    this.lambdas = factorsFor('MultiplicativeLR', optimizer, options?.lrLambda);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch > 0 ? lrs.map((lr, i) => lr * this.lambdas[i](this.lastEpoch)) : lrs;
  }
}
