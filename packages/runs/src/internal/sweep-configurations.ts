import type { SweepRow } from './sweep-row';
import type { Overrides } from './sweep-space';

/** One configuration of a sweep over all its seeds. */
export interface ConfigurationRow {
  overrides: Overrides;
  /** The runs (one per seed) of this configuration. */
  runs: string[];
  /** Completed runs with a value. */
  n: number;
  /** Mean of the completed runs' best values (null when none completed). */
  mean: number | null;
  /** Sample standard deviation over seeds (n − 1 in the denominator; 0 for one seed). */
  std: number | null;
  /** 'completed' when every seed completed, else the first other status. */
  status: SweepRow['status'];
}

function key(overrides: Overrides): string {
  return JSON.stringify(Object.entries(overrides).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Groups runs by configuration (seeds pooled): mean ± std of the best value, ranked best first. */
export function aggregateConfigurations(rows: SweepRow[], mode: 'min' | 'max'): ConfigurationRow[] {
  const groups = new Map<string, SweepRow[]>();
  for (const row of rows) {
    const k = key(row.overrides);
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  const out = [...groups.values()].map((group): ConfigurationRow => {
    const values = group
      .filter((r) => r.status === 'completed' && r.best !== null)
      .map((r) => r.best as number);
    const n = values.length;
    const mean = n ? values.reduce((s, v) => s + v, 0) / n : null;
    const std =
      mean === null ? null : n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
    const other = group.find((r) => r.status !== 'completed');
    return {
      overrides: group[0].overrides,
      runs: group.map((r) => r.run).sort(),
      n,
      mean,
      std,
      status: other ? other.status : 'completed',
    };
  });
  const score = (c: ConfigurationRow) =>
    c.status !== 'completed' || c.mean === null
      ? Number.POSITIVE_INFINITY
      : mode === 'max'
        ? -c.mean
        : c.mean;
  return out.sort((a, b) => score(a) - score(b) || a.runs[0].localeCompare(b.runs[0]));
}

/** `0.1234 ± 0.0056 (n=3)`. */
export function formatMeanStd(c: ConfigurationRow, digits = 4): string {
  if (c.mean === null) return 'n/a';
  return `${c.mean.toFixed(digits)} ± ${(c.std ?? 0).toFixed(digits)} (n=${c.n})`;
}
