import { check } from '@nntk/core';
import type { TrialCurve, TrialPruner } from './trial-pruner';

export interface ASHAPrunerOptions {
  /** Epochs of the first rung (every trial trains at least this long; ASHA's r). Default 1. */
  minEpochs?: number;
  /** ASHA's η: rungs at minEpochs·η^k epochs, the top 1/η of a rung go on. Default 3. */
  reductionFactor?: number;
}

/**
 * Asynchronous Successive Halving (Li, Jamieson, Rostamizadeh, Gonina, Ben-tzur, Hardt, Recht and
 * Talwalkar 2020, "A System for Massively Parallel Hyperparameter Tuning"), as Optuna's
 * `SuccessiveHalvingPruner`: rung k sits at `minEpochs · reductionFactor^k` epochs. A trial that reaches a
 * rung goes on only if its value there ranks within the top ⌊n / η⌋ of the n values every trial has
 * recorded at that rung so far (itself included; the single best while n < η), else it stops. In a
 * sweep the values at a rung are the earlier trials' (index < i) that reached it, so early trials are
 * compared with fewer values, as in the paper, and every decision is the same on every run.
 */
export class ASHAPruner implements TrialPruner {
  readonly minEpochs: number;
  readonly reductionFactor: number;

  constructor(options: ASHAPrunerOptions = {}) {
    this.minEpochs = check.integer('ASHAPruner', 'minEpochs', options.minEpochs ?? 1, 1);
    this.reductionFactor = check.integer('ASHAPruner', 'reductionFactor', options.reductionFactor ?? 3, 2);
  }

  get spec() {
    return { name: 'asha' as const, minEpochs: this.minEpochs, reductionFactor: this.reductionFactor };
  }

  /** True when `epochs` is a rung: minEpochs · η^k. */
  isRung(epochs: number): boolean {
    let rung = this.minEpochs;
    while (rung < epochs) rung *= this.reductionFactor;
    return rung === epochs;
  }

  judges(epochs: number): boolean {
    return this.isRung(epochs);
  }

  shouldPrune(trial: TrialCurve, others: TrialCurve[], mode: 'min' | 'max'): boolean {
    const epoch = trial.values.length;
    if (!this.isRung(epoch)) return false;
    const value = trial.values[epoch - 1];
    if (!Number.isFinite(value)) return true;
    const sign = mode === 'max' ? -1 : 1;
    const competing = [
      value,
      ...others
        .filter((o) => o.run !== trial.run && o.values.length >= epoch)
        .map((o) => o.values[epoch - 1])
        .filter((v) => Number.isFinite(v)),
    ].sort((a, b) => sign * (a - b));
    const k = Math.max(1, Math.floor(competing.length / this.reductionFactor));
    return sign * (value - competing[k - 1]) > 0;
  }
}
