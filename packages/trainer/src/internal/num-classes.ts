import { NntkError } from '@nntk/core';
import { MetricCollection, type StreamedMetric } from '@nntk/metrics';

/** A label column as `TensorDataset` holds it: values row-major, the shape of one example's target. */
interface LabelColumn {
  values: ArrayLike<number>;
  shape: number[];
  dtype: string;
}

function isLabelColumn(value: unknown): value is LabelColumn {
  const column = value as LabelColumn;
  return (
    typeof column === 'object' &&
    column !== null &&
    Array.isArray(column.shape) &&
    typeof column.values?.length === 'number'
  );
}

/** The class count a label column implies: `max + 1` for integer labels, the last axis for one-hot rows. */
function classesOfLabels(column: LabelColumn): number | undefined {
  if (column.shape.length > 0) return column.shape[column.shape.length - 1];
  if (column.dtype !== 'int32' || column.values.length === 0) return undefined;
  let max = -1;
  for (let i = 0; i < column.values.length; i++) if (column.values[i] > max) max = column.values[i];
  return max >= 0 ? max + 1 : undefined;
}

/**
 * The number of classes a data set knows, found without running the model: its own `numClasses`
 * property, or else its label column (`TensorDataset`'s `y`: `max + 1` of integer labels, the width of
 * one-hot rows). Wrappers (`DataLoader`, `Subset`) are followed through their `dataset`.
 */
export function numClassesOf(source: unknown): number | undefined {
  let current = source as { numClasses?: unknown; dataset?: unknown; y?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    if (typeof current.numClasses === 'number') return current.numClasses;
    if (isLabelColumn(current.y)) return classesOfLabels(current.y);
    current = current.dataset as typeof current;
  }
  return undefined;
}

/**
 * The class count the Trainer's metrics use: the `numClasses` option when given, else what the training
 * data set knows ({@link numClassesOf}). Undefined when no metric is asked for; a metric with neither
 * raises an `INVALID_OPTION` NntkError saying how to give it (before `fit` writes anything).
 */
export function resolveNumClasses(
  metrics: readonly string[],
  explicit: number | undefined,
  source: unknown,
): number | undefined {
  if (metrics.length === 0) return explicit;
  const found = explicit ?? numClassesOf(source);
  if (found !== undefined) return found;
  throw new NntkError(
    'INVALID_OPTION',
    `Trainer: the metrics (${metrics.join(', ')}) need the number of classes and the training data does not say it (no numClasses property, no integer label column); pass numClasses to the Trainer, e.g. new Trainer({ ..., numClasses: 10 })`,
  );
}

/** A fresh metric collection for one pass over the data, or undefined when no metric is asked for. */
export function createMetrics(
  names: readonly Exclude<StreamedMetric, 'confusionMatrix'>[],
  numClasses: number | undefined,
): MetricCollection | undefined {
  if (names.length === 0) return undefined;
  if (numClasses === undefined)
    throw new NntkError(
      'INVALID_OPTION',
      `Trainer: the metrics (${names.join(', ')}) need the number of classes; pass numClasses to the Trainer`,
    );
  return new MetricCollection([...names], { numClasses });
}

/** Adds a collection's computed values to `logs`, each under `prefix + name`. */
export async function addMetricLogs(
  logs: Record<string, number>,
  metrics: MetricCollection | undefined,
  prefix = '',
): Promise<void> {
  if (!metrics) return;
  for (const [k, v] of Object.entries(await metrics.compute())) logs[`${prefix}${k}`] = v as number;
}
