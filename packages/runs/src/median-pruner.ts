import { check } from '@nntk/core';
import type { TrialCurve, TrialPruner } from './trial-pruner';

export interface MedianPrunerOptions {
  /** Epochs every trial trains before it can be pruned (Optuna's n_warmup_steps + 1). Default 1. */
  minEpochs?: number;
  /** Earlier trials that went on past epoch t needed before anything is pruned at t. Default 5 (as Optuna's). */
  nStartupTrials?: number;
}

function bestSoFar(values: number[], mode: 'min' | 'max'): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return Number.NaN;
  return mode === 'max' ? Math.max(...finite) : Math.min(...finite);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Median stopping rule (Golovin et al. 2017, "Google Vizier"; Optuna's `MedianPruner`): after epoch
 * `t ≥ minEpochs`, a trial stops when its best value so far is worse than the median of the other
 * trials' values at epoch `t`, over the trials that went on past epoch `t` or completed there (`others`
 * as the sweep passes them: the earlier trials as they stood at epoch `t`). Waits for `nStartupTrials`
 * such trials. Optuna takes the median over completed trials only; a deterministic sweep cannot wait
 * for earlier trials to finish without running them one at a time, so a trial pruned after epoch `t`
 * still counts at `t` here.
 */
export class MedianPruner implements TrialPruner {
  readonly minEpochs: number;
  readonly nStartupTrials: number;

  constructor(options: MedianPrunerOptions = {}) {
    this.minEpochs = check.integer('MedianPruner', 'minEpochs', options.minEpochs ?? 1, 1);
    this.nStartupTrials = check.integer('MedianPruner', 'nStartupTrials', options.nStartupTrials ?? 5, 0);
  }

  get spec() {
    return { name: 'median' as const, minEpochs: this.minEpochs, nStartupTrials: this.nStartupTrials };
  }

  judges(epochs: number): boolean {
    return epochs >= this.minEpochs;
  }

  shouldPrune(trial: TrialCurve, others: TrialCurve[], mode: 'min' | 'max'): boolean {
    const epoch = trial.values.length;
    if (epoch < this.minEpochs) return false;
    const completed = others.filter(
      (o) =>
        (o.status === 'completed' || o.status === 'running') &&
        o.run !== trial.run &&
        o.values.length >= epoch,
    );
    if (completed.length < Math.max(1, this.nStartupTrials)) return false;
    const atEpoch = completed.map((o) => o.values[epoch - 1]).filter((v) => Number.isFinite(v));
    if (atEpoch.length === 0) return false;
    const best = bestSoFar(trial.values, mode);
    if (Number.isNaN(best)) return true;
    const m = median(atEpoch);
    return mode === 'max' ? best < m : best > m;
  }
}
