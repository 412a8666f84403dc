import * as tf from '@tensorflow/tfjs-core';
import { Callback, type Logs } from './callback';
import { formatNumber } from './format-number';
import { defaultStream } from './internal/default-stream';
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
  /**
   * Where the closing line goes (`EarlyStopping: stopped after epoch 7 …`): a function that takes the
   * line, or `false` for none. Default: standard error.
   */
  log?: ((line: string) => void) | false;
}

/**
 * Stops training when the monitored value has not improved by `minDelta` for `patience` epochs (Keras's
 * `EarlyStopping`); with `restoreBestWeights` the best epoch's weights are restored at the end. When it
 * stops training (or restores weights) it says so in one line, as Keras's and Lightning's verbose mode.
 */
export class EarlyStopping extends Callback {
  override readonly name: string = 'EarlyStopping';
  private readonly monitor: Monitor;
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  bestEpoch = -1;
  stoppedEpoch = -1;
  private bestWeights?: Record<string, tf.Tensor>;
  private readonly log: ((line: string) => void) | false;

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
    this.log = options.log ?? ((line) => defaultStream().write(`${line}\n`));
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
    const restored = Boolean(this.restoreBestWeights && this.bestWeights && this.trainer);
    if (restored) this.trainer?.model.loadStateDict(this.bestWeights as Record<string, tf.Tensor>);
    this.disposeSnapshot();
    const line = this.summary(restored);
    if (line && this.log) this.log(line);
  }

  /**
   * The closing line, epochs counted from 1: `EarlyStopping: stopped after epoch 7, val_loss did not
   * improve for 3 epochs; best val_loss 0.3412 at epoch 4; restored the weights of epoch 4` (or `kept
   * the weights of epoch 7`). Undefined when training ran to the end with the last epoch's weights.
   */
  summary(restored: boolean): string | undefined {
    const key = this.monitor.key;
    const best =
      this.bestEpoch >= 0 ? `best ${key} ${formatNumber(this.best)} at epoch ${this.bestEpoch + 1}` : '';
    const last = (this.trainer?.epoch ?? this.stoppedEpoch + 1) - 1;
    const weights = restored
      ? `restored the weights of epoch ${this.bestEpoch + 1}`
      : `kept the weights of epoch ${last + 1} (restoreBestWeights is off)`;
    if (this.stoppedEpoch >= 0)
      return `EarlyStopping: stopped after epoch ${this.stoppedEpoch + 1}, ${key} did not improve for ${this.wait} epoch${this.wait === 1 ? '' : 's'}; ${best}; ${weights}`;
    if (restored && this.bestEpoch !== last) return `EarlyStopping: ${best}; ${weights}`;
    return undefined;
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
