export { ASHAPruner, type ASHAPrunerOptions } from './asha-pruner';
export { assertSafeKeyPath } from './assert-safe-key-path';
export { createPruner } from './create-pruner';
export type { SweepRun } from './internal/execute-trial';
export { DEFAULT_QUEUE_NAME } from './internal/queue-executor';
export { type ConfigurationRow, formatMeanStd } from './internal/sweep-configurations';
export {
  applyOverrides as applyDottedOverrides,
  type Distribution,
  type Overrides,
} from './internal/sweep-space';
export type { SweepRow } from './internal/sweep-summary';
export { TRIAL_JOB_FORMAT, type TrialJob, type TrialResult } from './internal/trial-job';
export { MedianPruner, type MedianPrunerOptions } from './median-pruner';
export { redactUrl } from './redact-url';
export { readRun } from './report/read-run';
export { renderVegaLite } from './report/render-vega-lite';
export { type ReportPlot, reportSpecs } from './report/report-specs';
export type { RunData } from './report/run-data';
export { type ReportResult, writeReport } from './report/write-report';
export { inSweepTrial, reportEpoch, SweepTrialCallback } from './report-epoch';
export { runnerArgv, runSweep, type SweepOptions, type SweepResult, sweepIdOf } from './run-sweep';
export { runWorker, TRIAL_LOCK_DURATION, TRIAL_STALLED_INTERVAL, type WorkerOptions } from './run-worker';
export { formatSweepLine, type SweepProgress } from './sweep-progress';
export { TPESampler, type TPESamplerOptions, type TrialObservation } from './tpe-sampler';
export type { PrunerSpec, TrialCurve, TrialPruner } from './trial-pruner';
export { type SweepReportOptions, writeSweepReport } from './write-sweep-report';
