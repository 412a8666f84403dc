import { check, NntkError } from '@nntk/core';
import type { Logs } from '../callback';

/** Tracks the best value of a monitored log key ('min' or 'max' mode, with a minimum improvement). */
export class Monitor {
  readonly mode: 'min' | 'max';
  best: number;

  constructor(
    owner: string,
    readonly key: string,
    mode: 'min' | 'max' = 'min',
    readonly minDelta = 0,
  ) {
    this.mode = check.oneOf(owner, 'mode', mode, ['min', 'max']);
    check.nonNegative(owner, 'minDelta', minDelta);
    this.best = this.worst();
  }

  worst(): number {
    return this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  value(owner: string, logs: Logs): number {
    const v = logs[this.key];
    if (typeof v !== 'number') {
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: monitor '${this.key}' is not in the epoch logs (${Object.keys(logs).join(', ')})`,
      );
    }
    return v;
  }

  isImprovement(value: number): boolean {
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  isBetter(a: number, b: number): boolean {
    return this.mode === 'min' ? a < b : a > b;
  }
}
