// The browser entry of @nntk/runs (what `import '@nntk/runs'` gives outside Node): the search and
// early-stopping algorithms, and a report's data and Vega-Lite specifications in memory. Running
// sweeps (trial processes, the BullMQ queue, workers), reading run directories and writing reports
// need Node: they are in the Node entry (`@nntk/runs` under the `node` condition, or `@nntk/runs/node`),
// which exports everything here too.
export { ASHAPruner, type ASHAPrunerOptions } from './asha-pruner';
export { assertSafeKeyPath } from './assert-safe-key-path';
export { createPruner } from './create-pruner';
export { type ConfigurationRow, formatMeanStd } from './internal/sweep-configurations';
export {
  applyOverrides as applyDottedOverrides,
  type Distribution,
  type Overrides,
} from './internal/sweep-space';
export { TRIAL_JOB_FORMAT, type TrialJob, type TrialResult } from './internal/trial-job';
export { MedianPruner, type MedianPrunerOptions } from './median-pruner';
export { redactUrl } from './redact-url';
export { renderVegaLite } from './report/render-vega-lite';
export { type ReportPlot, reportSpecs } from './report/report-specs';
export type { RunData } from './report/run-data';
export { formatSweepLine, type SweepProgress } from './sweep-progress';
export { TPESampler, type TPESamplerOptions, type TrialObservation } from './tpe-sampler';
export type { PrunerSpec, TrialCurve, TrialPruner } from './trial-pruner';
