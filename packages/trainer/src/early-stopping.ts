import * as tf from '@tensorflow/tfjs-core';
import { Callback, type Logs } from './callback';
import { Monitor } from './internal/monitor';

export interface EarlyStoppingOptions {
  monitor?: string;
  mode?: 'min' | 'max';
  patience?: number;
  minDelta?: number;
  /** Put back the weights of the best epoch when training ends. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching (warm-up). Default 0. */
  startFromEpoch?: number;
}

/**
 * Stops training when the monitored value has not improved by `minDelta` for `patience` epochs (Keras's
 * `EarlyStopping`); with `restoreBestWeights` the best epoch's weights are restored at the end.
 */
export class EarlyStopping extends Callback {
  private readonly monitor: Monitor;
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  bestEpoch = -1;
  stoppedEpoch = -1;
  private bestWeights?: Record<string, tf.Tensor>;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    this.monitor = new Monitor(
      'EarlyStopping',
      options.monitor ?? 'val_loss',
      options.mode ?? 'min',
      options.minDelta ?? 0,
    );
    this.patience = options.patience ?? 0;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
  }

  get best(): number {
    return this.monitor.best;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (epoch < this.startFromEpoch) return;
    const value = this.monitor.value('EarlyStopping', logs);
    if (this.monitor.isImprovement(value)) {
      this.monitor.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) this.snapshot();
      return;
    }
    this.wait += 1;
    // Keras's rule: stop once `patience` epochs in a row brought no improvement.
    if (this.wait >= this.patience && epoch > 0 && this.trainer) {
      this.stoppedEpoch = epoch;
      this.trainer.stopTraining = true;
    }
  }

  private snapshot(): void {
    this.disposeSnapshot();
    const state = this.trainer?.model.stateDict() ?? {};
    this.bestWeights = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.clone()]));
  }

  private disposeSnapshot(): void {
    if (this.bestWeights) tf.dispose(Object.values(this.bestWeights));
    this.bestWeights = undefined;
  }

  override onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights && this.trainer)
      this.trainer.model.loadStateDict(this.bestWeights);
    this.disposeSnapshot();
  }

  override stateDict(): Record<string, unknown> {
    return {
      wait: this.wait,
      best: Number.isFinite(this.monitor.best) ? this.monitor.best : null,
      bestEpoch: this.bestEpoch,
    };
  }

  override loadStateDict(state: Record<string, unknown>): void {
    this.wait = state.wait as number;
    this.monitor.best = state.best === null ? this.monitor.worst() : (state.best as number);
    this.bestEpoch = state.bestEpoch as number;
  }
}
