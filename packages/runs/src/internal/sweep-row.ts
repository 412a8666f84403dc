import type { Logs } from '@nntk/trainer';
import type { Overrides } from './sweep-space';

/** One run of a sweep as the summary lists it. */
export interface SweepRow {
  run: string;
  /**
   * `interrupted`: stopped by Ctrl-C (it continues from its checkpoint next time); `pruned`: stopped
   * early by the sweep's pruner (median or ASHA), its values are those up to that epoch.
   */
  status: 'completed' | 'failed' | 'interrupted' | 'pruned';
  overrides: Overrides;
  seed?: number;
  /** Best value of the monitored key over the run's epochs (null when never logged). */
  best: number | null;
  bestEpoch: number | null;
  epochs: number;
  /** The last epoch's logs. */
  final: Logs;
  /** Why a failed run failed (the end of its stderr, or the queue's reason). */
  error?: string;
}
