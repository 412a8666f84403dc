import type { RunData } from './run-data';

type Spec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
/** Train solid blue, validation dashed orange: the legend shows both the colour and the dash. */
const SPLITS = { domain: ['train', 'validation'], range: ['#1f77b4', '#ff7f0e'] };
const DASHES = {
  domain: ['train', 'validation'],
  range: [
    [1, 0],
    [6, 4],
  ],
};
/** One colour per run when comparing; the legend goes below the plot, so long run names fit. */
const RUN_COLOUR = {
  field: 'run',
  type: 'nominal',
  title: 'run',
  legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0, symbolType: 'stroke' },
};
const WIDTH = 560;
const HEIGHT = 260;
const CONFIG = {
  font: 'system-ui, sans-serif',
  title: { fontSize: 15, anchor: 'start' },
  axis: { labelFontSize: 12, titleFontSize: 13, gridColor: '#eee' },
  legend: { labelFontSize: 12, titleFontSize: 12, symbolStrokeWidth: 2.5, symbolSize: 300 },
};

/** What every line plot shares: schema, theme, title, size and data. */
function frame(title: string, rows: Spec[]): Spec {
  return { $schema: SCHEMA, config: CONFIG, title, width: WIDTH, height: HEIGHT, data: { values: rows } };
}

/** Rows `{ run, epoch (1-based), split, value }` for a log key and its `val_` twin. */
export function epochRows(runs: RunData[], key: string): Spec[] {
  return runs.flatMap((run) =>
    run.epochs.flatMap((logs, i) =>
      (
        [
          [key, 'train'],
          [`val_${key}`, 'validation'],
        ] as const
      )
        .filter(([k]) => typeof logs[k] === 'number' && Number.isFinite(logs[k]))
        .map(([k, split]) => ({
          run: run.name,
          epoch: Math.round(logs.epoch ?? i) + 1,
          split,
          value: logs[k],
        })),
    ),
  );
}

/** Train and validation curves over epochs (integer epochs from 1); one colour per run when comparing. */
export function epochCurve(title: string, yTitle: string, rows: Spec[], compare: boolean): Spec {
  const split = { field: 'split', type: 'nominal', title: null };
  return {
    ...frame(title, rows),
    mark: { type: 'line', point: { size: 40 }, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative',
        title: 'epoch',
        axis: { tickMinStep: 1, format: 'd' },
        scale: { domainMin: 1, nice: false },
      },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: compare ? RUN_COLOUR : { ...split, scale: SPLITS, legend: { symbolType: 'stroke' } },
      strokeDash: {
        ...split,
        scale: DASHES,
        legend: {
          symbolType: 'stroke',
          symbolStrokeColor: '#333',
          encode: { symbols: { update: { stroke: { value: '#333' } } } },
          ...(compare ? { orient: 'bottom' } : {}),
        },
      },
      detail: { field: 'run' },
      tooltip: [{ field: 'run' }, { field: 'epoch' }, { field: 'split' }, { field: 'value', format: '.4g' }],
    },
  };
}

/**
 * A per-step line (training loss or learning rate) over the global step (or over epochs, for runs
 * without `steps.jsonl`); `scientific` writes the y axis as `3.0e-4`.
 */
export function stepCurve(
  title: string,
  yTitle: string,
  rows: Spec[],
  options: { compare: boolean; scientific?: boolean; x?: 'step' | 'epoch' },
): Spec {
  const x = options.x ?? 'step';
  return {
    ...frame(title, rows),
    mark: { type: 'line', strokeWidth: 1.5, interpolate: 'linear' },
    encoding: {
      x: {
        field: x,
        type: 'quantitative',
        title: x === 'step' ? 'training step' : 'epoch',
        axis: { format: 'd', tickMinStep: 1 },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: yTitle,
        scale: { zero: false },
        axis: options.scientific ? { format: '.1e' } : {},
      },
      color: options.compare ? RUN_COLOUR : { value: SPLITS.range[0] },
    },
  };
}

/** Per-step rows `{ run, step, value }` of `steps.jsonl`'s `loss` or `lr`. */
export function stepRows(runs: RunData[], key: 'loss' | 'lr'): Spec[] {
  return runs.flatMap((run) =>
    run.steps
      .filter((s) => Number.isFinite(s[key]))
      .map((s) => ({ run: run.name, step: s.step, value: s[key] })),
  );
}

/** Per-epoch rows `{ run, epoch (1-based), value }` of one log key (the lr of runs without steps). */
export function epochValues(runs: RunData[], key: string): Spec[] {
  return runs.flatMap((run) =>
    run.epochs
      .map((logs, i) => ({ run: run.name, epoch: Math.round(logs.epoch ?? i) + 1, value: logs[key] }))
      .filter((r) => typeof r.value === 'number' && Number.isFinite(r.value)),
  );
}

/** The final (or test) value of `key` for each run, as horizontal bars. */
export function comparisonBars(title: string, rows: { run: string; value: number }[]): Spec {
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title,
    width: WIDTH,
    height: Math.max(80, 26 * rows.length),
    data: { values: rows },
    mark: { type: 'bar', color: SPLITS.range[0] },
    encoding: {
      y: { field: 'run', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 0 } },
      x: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
    },
  };
}
