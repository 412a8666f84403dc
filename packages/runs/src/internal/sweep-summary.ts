import { join } from 'node:path';
import { writeFileAtomic } from '@nntk/core/node';
import type { Logs } from '@nntk/trainer';
import { aggregateConfigurations, type ConfigurationRow } from './sweep-configurations';
import type { SweepRow } from './sweep-row';

export type { SweepRow } from './sweep-row';

/** Best monitored value and its epoch. */
export function bestOf(
  logs: Logs[],
  monitor: string,
  mode: 'min' | 'max',
): { best: number | null; bestEpoch: number | null } {
  let best: number | null = null;
  let bestEpoch: number | null = null;
  logs.forEach((entry, i) => {
    const v = entry[monitor];
    if (typeof v !== 'number' || Number.isNaN(v)) return;
    if (best === null || (mode === 'max' ? v > best : v < best)) {
      best = v;
      bestEpoch = typeof entry.epoch === 'number' ? entry.epoch : i;
    }
  });
  return { best, bestEpoch };
}

/** Completed runs first, by the monitored value (best first); then pruned runs, the same way; failed runs last. */
export function rankRows(rows: SweepRow[], mode: 'min' | 'max'): SweepRow[] {
  const group = (r: SweepRow) =>
    r.status === 'completed' && r.best !== null ? 0 : r.status === 'pruned' ? 1 : 2;
  const value = (r: SweepRow) =>
    r.best === null ? Number.POSITIVE_INFINITY : mode === 'max' ? -r.best : r.best;
  return [...rows].sort((a, b) => group(a) - group(b) || value(a) - value(b) || a.run.localeCompare(b.run));
}

export function csvCell(value: unknown): string {
  const text =
    value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes `summary.json` and `summary.csv` (one ranked row per run) atomically into `dir`. */
export async function writeSummary(
  dir: string,
  rows: SweepRow[],
  meta: { monitor: string; mode: 'min' | 'max'; [key: string]: unknown },
  configurations: ConfigurationRow[] = aggregateConfigurations(rows, meta.mode),
): Promise<{ json: string; csv: string }> {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.overrides)))];
  const finals = [...new Set(rows.flatMap((r) => Object.keys(r.final)))];
  const header = [
    'rank',
    'run',
    'status',
    ...keys,
    'seed',
    `best_${meta.monitor}`,
    'best_epoch',
    'epochs',
    ...finals.map((k) => `final_${k}`),
  ];
  const lines = rows.map((r, i) =>
    [
      i + 1,
      r.run,
      r.status,
      ...keys.map((k) => r.overrides[k]),
      r.seed,
      r.best,
      r.bestEpoch,
      r.epochs,
      ...finals.map((k) => r.final[k]),
    ]
      .map(csvCell)
      .join(','),
  );
  const json = join(dir, 'summary.json');
  const csv = join(dir, 'summary.csv');
  await writeFileAtomic(json, `${JSON.stringify({ ...meta, runs: rows, configurations }, null, 2)}\n`);
  await writeFileAtomic(csv, `${[header.join(','), ...lines].join('\n')}\n`);
  return { json, csv };
}
