import type { Optimizer } from '@nntk/optim';
import { type Factor, factorsFor } from './internal/lr-lambdas';
import { LRScheduler } from './lr-scheduler';

/** Sets `lr = lr₀·lrLambda(epoch)`; any pure schedule from `schedules` can be the lambda. */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: Factor[];

  constructor(optimizer: Optimizer, options: { lrLambda: Factor | Factor[] }) {
    super(optimizer);
    this.lambdas = factorsFor('LambdaLR', optimizer, options?.lrLambda);
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lambdas[i](this.lastEpoch));
  }
}
