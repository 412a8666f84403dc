import { check } from '@nntk/core';
import { Callback, type Logs } from './callback';

/** Measures training time and, with `durationSeconds`, stops training once it has run that long. */
export class Timer extends Callback {
  override readonly name: string = 'Timer';
  readonly durationSeconds?: number;
  private started = 0;
  elapsedSeconds = 0;

  constructor(options: { durationSeconds?: number } = {}) {
    super();
    if (options.durationSeconds !== undefined)
      this.durationSeconds = check.positive('Timer', 'durationSeconds', options.durationSeconds);
  }

  override onTrainBegin(): void {
    this.started = Date.now() - this.elapsedSeconds * 1000;
  }

  override onBatchEnd(): void {
    this.elapsedSeconds = (Date.now() - this.started) / 1000;
    if (this.trainer && this.durationSeconds !== undefined && this.elapsedSeconds >= this.durationSeconds)
      this.trainer.stopTraining = true;
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs.elapsedSeconds = this.elapsedSeconds;
  }

  override stateDict(): Record<string, unknown> {
    return { elapsedSeconds: this.elapsedSeconds };
  }

  override loadStateDict(state: Record<string, unknown>): void {
    this.elapsedSeconds = state.elapsedSeconds as number;
  }
}
