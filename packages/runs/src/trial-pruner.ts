/** One trial's per-epoch objective values as a pruner sees them. */
export interface TrialCurve {
  /** The trial's name in the sweep. */
  run: string;
  /** The monitored value after each epoch (epoch 1 first); NaN where not logged. */
  values: number[];
  /** 'running' while it trains. */
  status: 'running' | 'completed' | 'pruned' | 'failed' | 'interrupted';
}

/**
 * Decides after each epoch whether a trial should stop. Pure: the decision depends only on the curves
 * passed in, so the same pruner works in one process and across queue workers (which share curves
 * through Redis).
 */
export interface TrialPruner {
  /** True when `trial`, which just logged `trial.values.length` epochs, should stop now. */
  shouldPrune(trial: TrialCurve, others: TrialCurve[], mode: 'min' | 'max'): boolean;
  /** The JSON settings that rebuild this pruner in another process (`createPruner`). */
  readonly spec: PrunerSpec;
}

/** Pruner settings as JSON (sweep configs, queue jobs). */
export type PrunerSpec =
  | { name: 'median'; minEpochs?: number; nStartupTrials?: number }
  | { name: 'asha'; minEpochs?: number; reductionFactor?: number };
