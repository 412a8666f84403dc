import type { Logs, StepRecord } from '@nntk/trainer';

/** Everything the report reads from one run directory. */
export interface RunData {
  /** The run's name: its directory's name, or `parent/name` when runs share a name. */
  name: string;
  dir: string;
  epochs: Logs[];
  steps: StepRecord[];
  config?: Record<string, unknown>;
  /** Metrics on the held-out test set (`test-metrics.json`), apart from validation. */
  test?: Record<string, number>;
  confusionMatrix?: number[][];
  classNames?: string[];
  /** Which split the confusion matrix was computed on (`test` or `validation`). */
  confusionSplit?: string;
}
