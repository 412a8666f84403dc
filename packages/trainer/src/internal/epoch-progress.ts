import type { Logs } from '../callback';

/** Progress inside an interrupted epoch, saved in the checkpoint so the epoch resumes exactly. */
export interface InEpochState {
  batch: number;
  lossSum: number;
  samples: number;
  skippedSteps: number;
  metrics?: { matrix: number[][] };
}

/**
 * The running totals of one epoch (batches seen, sample-weighted loss sum, skipped steps), started fresh
 * or from a checkpoint's `InEpochState`, and the epoch's logs built from them:
 * `loss = Σ lossᵢ·nᵢ / Σ nᵢ` over the batches whose loss counted.
 */
export class EpochProgress {
  readonly state: InEpochState;
  private readonly started = Date.now();

  constructor(resumed?: InEpochState) {
    this.state = resumed ? { ...resumed } : { batch: 0, lossSum: 0, samples: 0, skippedSteps: 0 };
  }

  get batch(): number {
    return this.state.batch;
  }

  /** Counts a batch of `size` samples: its loss, or a skipped step when `loss` is undefined. */
  record(loss: number | undefined, size: number): void {
    if (loss === undefined) this.state.skippedSteps += 1;
    else {
      this.state.lossSum += loss * size;
      this.state.samples += size;
    }
  }

  /** Moves to the next batch. */
  advance(): void {
    this.state.batch += 1;
  }

  /** A copy for a checkpoint. */
  snapshot(): InEpochState {
    return { ...this.state };
  }

  /** The epoch's logs: epoch, mean loss, learning rate, wall time, throughput, skipped steps if any. */
  logs(epoch: number, lr: number): Logs {
    const seconds = (Date.now() - this.started) / 1000;
    const { lossSum, samples, skippedSteps } = this.state;
    const logs: Logs = {
      epoch,
      loss: lossSum / Math.max(samples, 1),
      lr,
      seconds,
      samplesPerSecond: samples / Math.max(seconds, 1e-9),
    };
    if (skippedSteps > 0) logs.skippedSteps = skippedSteps;
    return logs;
  }
}
