/** One trial's per-epoch objective values as a pruner sees them. */
export interface TrialCurve {
  /** The trial's name in the sweep. */
  run: string;
  /** The trial's index in the sweep (its order); decisions compare a trial with the earlier ones only. */
  index?: number;
  /** The monitored value after each epoch (epoch 1 first); NaN where not logged. */
  values: number[];
  /**
   * 'running' while it trains. In the `others` a pruner is given, a trial is shown as it stood when it
   * went past the judged epoch: 'running' there means "went on past this epoch".
   */
  status: 'running' | 'completed' | 'pruned' | 'failed' | 'interrupted';
  /** Epochs whose pruning decision was "go on" (a running trial is settled at epoch t once passed ≥ t). */
  passed?: number;
}

/**
 * Decides after an epoch whether a trial should stop. Pure: the decision depends only on the curves
 * passed in, so the same pruner works in one process and across queue workers (which share curves
 * through Redis). The sweep makes it deterministic: trial i's decision at epoch t is taken once every
 * earlier trial (index < i) has gone past epoch t or stopped, from those trials as they stood at epoch t,
 * and the trial waits for it before training epoch t + 1.
 */
export interface TrialPruner {
  /** True when `trial`, which just logged `trial.values.length` epochs, should stop now. */
  shouldPrune(trial: TrialCurve, others: TrialCurve[], mode: 'min' | 'max'): boolean;
  /** Whether the pruner judges a trial after `epochs` epochs (ASHA: only at rungs). Default: every epoch. */
  judges?(epochs: number): boolean;
  /** The JSON settings that rebuild this pruner in another process (`createPruner`). */
  readonly spec: PrunerSpec;
}

/** Pruner settings as JSON (sweep configs, queue jobs). */
export type PrunerSpec =
  | { name: 'median'; minEpochs?: number; nStartupTrials?: number }
  | { name: 'asha'; minEpochs?: number; reductionFactor?: number };
