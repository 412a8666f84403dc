import type { RunData } from './run-data';
import { comparisonBars, epochCurve, epochRows, epochValues, stepCurve, stepRows } from './specs';
import { metricKeys } from './tables';

/** One plot of a report: its file name (without `.svg`) and its Vega-Lite specification. */
export interface ReportPlot {
  name: string;
  spec: Record<string, unknown>;
}

/**
 * The Vega-Lite specifications of a report, in memory (no file is read or written, so it works in a
 * browser): each metric per epoch (train solid, validation dashed), training loss and learning rate per
 * step (or the rate per epoch without step records) and, for several runs, a comparison bar chart.
 * `keys` defaults to the runs' metric names (loss first).
 */
export function reportSpecs(runs: RunData[], keys: string[] = metricKeys(runs)): ReportPlot[] {
  const compare = runs.length > 1;
  const title = (k: string) => k[0].toUpperCase() + k.slice(1);
  const plots: ReportPlot[] = keys.map((k) => ({
    name: k,
    spec: epochCurve(`${title(k)} per epoch`, k, epochRows(runs, k), compare),
  }));
  const losses = stepRows(runs, 'loss');
  if (losses.length)
    plots.push({
      name: 'loss-per-step',
      spec: stepCurve('Training loss per step', 'loss', losses, { compare }),
    });
  const lrs = stepRows(runs, 'lr');
  plots.push({
    name: 'learning-rate',
    spec: lrs.length
      ? stepCurve('Learning rate per step', 'learning rate', lrs, { compare, scientific: true })
      : stepCurve('Learning rate per epoch', 'learning rate', epochValues(runs, 'lr'), {
          compare,
          scientific: true,
          x: 'epoch',
        }),
  });
  if (compare) {
    const key = runs.every((r) => typeof r.test?.accuracy === 'number') ? 'accuracy' : undefined;
    const rows = key
      ? runs.map((r) => ({ run: r.name, value: r.test?.accuracy as number }))
      : runs.flatMap((r) => {
          const v = r.epochs.at(-1)?.val_loss ?? r.epochs.at(-1)?.loss;
          return typeof v === 'number' ? [{ run: r.name, value: v }] : [];
        });
    plots.push({
      name: 'comparison',
      spec: comparisonBars(key ? 'Test accuracy by run' : 'Final validation loss by run', rows),
    });
  }
  return plots;
}
