import type { ConfigurationRow } from './internal/sweep-configurations';
import type { SweepRow } from './internal/sweep-summary';

/** What `runSweep` returns (and `writeSweepReport` draws). */
export interface SweepResult {
  /** Ranked best first. */
  rows: SweepRow[];
  best?: SweepRow;
  /** Per configuration, mean ± std of the best value over seeds, ranked. */
  configurations: ConfigurationRow[];
  /** Each run's metrics history, by run name. */
  histories: Record<string, Record<string, number>[]>;
  /** The sweep's id (its job ids in queue mode are `<id>-<index>`). */
  sweepId: string;
  json: string;
  csv: string;
  /** `<dir>/sweep-report.html` (`writeSweepReport`). */
  report: string;
}
