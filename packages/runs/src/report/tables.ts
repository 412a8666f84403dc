import { formatNumber } from '@nntk/trainer';
import { html, type SafeHtml } from './html';
import type { RunData } from './run-data';

const HIDDEN = new Set(['epoch', 'seconds', 'samplesPerSecond', 'size']);

function cell(value: unknown): SafeHtml {
  return typeof value === 'number' ? html`<td class="num">${formatNumber(value)}</td>` : html`<td></td>`;
}

/** The metric keys (without `val_`) the runs log, loss first. */
export function metricKeys(runs: RunData[]): string[] {
  const keys = new Set<string>();
  for (const run of runs)
    for (const logs of run.epochs)
      for (const k of Object.keys(logs)) if (!HIDDEN.has(k) && k !== 'lr') keys.add(k.replace(/^val_/, ''));
  return ['loss', ...[...keys].filter((k) => k !== 'loss').sort()];
}

function bestEpoch(
  run: RunData,
  key: string,
  mode: 'min' | 'max',
): { value: number; epoch: number } | undefined {
  let best: { value: number; epoch: number } | undefined;
  run.epochs.forEach((logs, i) => {
    const v = logs[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) return;
    if (!best || (mode === 'min' ? v < best.value : v > best.value))
      best = { value: v, epoch: Math.round(logs.epoch ?? i) + 1 };
  });
  return best;
}

/**
 * One row per run: epochs, time, the final train and validation values, the best validation value
 * with its epoch, and the test-set metrics in their own column group.
 */
export function summaryTable(runs: RunData[], keys: string[]): SafeHtml {
  const testKeys = [...new Set(runs.flatMap((r) => Object.keys(r.test ?? {})))];
  const valKey = keys.includes('accuracy') ? 'accuracy' : 'loss';
  const mode = valKey === 'loss' ? 'min' : 'max';
  const rows = runs.map((run) => {
    const last = run.epochs.at(-1) ?? {};
    const seconds = run.epochs.reduce((s, l) => s + (l.seconds ?? 0), 0);
    const best = bestEpoch(run, `val_${valKey}`, mode);
    return html`<tr><th scope="row" class="run">${run.name}</th><td class="num">${run.epochs.length}</td><td class="num">${seconds.toFixed(1)} s</td>
${keys.map((k) => html`${cell(last[k])}${cell(last[`val_${k}`])}`)}
<td class="num">${best ? `${formatNumber(best.value)} (epoch ${best.epoch})` : ''}</td>
${testKeys.map((k) => cell(run.test?.[k]))}</tr>`;
  });
  return html`<table class="summary">
<tr><th rowspan="2">run</th><th rowspan="2">epochs</th><th rowspan="2">time</th>${keys.map((k) => html`<th colspan="2">${k} (last epoch)</th>`)}<th rowspan="2">best val_${valKey}</th>${testKeys.length ? html`<th colspan="${testKeys.length}" class="test">test set (held out)</th>` : ''}</tr>
<tr>${keys.map(() => html`<th>train</th><th>validation</th>`)}${testKeys.map((k) => html`<th class="test">${k}</th>`)}</tr>
${rows}
</table>`;
}

/** Every epoch of one run: 1-based epoch, the logged values (lr in scientific notation), seconds. */
export function epochTable(run: RunData, keys: string[]): SafeHtml {
  const columns = keys.flatMap((k) => [k, `val_${k}`]).filter((k) => run.epochs.some((l) => k in l));
  const rows = run.epochs.map(
    (logs, i) =>
      html`<tr><td class="num">${Math.round(logs.epoch ?? i) + 1}</td>${columns.map((k) => cell(logs[k]))}${cell(logs.lr)}<td class="num">${(logs.seconds ?? 0).toFixed(1)}</td></tr>`,
  );
  return html`<table class="epochs"><tr><th>epoch</th>${columns.map((c) => html`<th>${c}</th>`)}<th>lr</th><th>seconds</th></tr>${rows}</table>`;
}

/** A config as dotted keys and printable values (`optimizer.lr` → `0.003`, arrays as JSON). */
export function flatten(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return prefix ? [[prefix, '{}']] : [];
    return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, settingText(value)]];
}

/** A setting as written in a config: numbers exactly (`0.1`), small ones as `3e-4`, strings bare. */
function settingText(value: unknown): string {
  if (typeof value === 'number')
    return value !== 0 && Math.abs(value) < 0.01 ? value.toExponential() : String(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** One run's config (hyperparameters) as a two-column table. */
export function configTable(run: RunData): SafeHtml {
  const rows = flatten(run.config ?? {});
  if (rows.length === 0) return html`<p class="muted">This run directory has no config.json.</p>`;
  return html`<table class="config">${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</table>`;
}

/**
 * The settings of several runs side by side: first the keys whose values differ (highlighted), then,
 * folded, those all runs share.
 */
export function settingsComparison(runs: RunData[]): SafeHtml {
  const flat = runs.map((r) => new Map(flatten(r.config ?? {})));
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))].sort();
  const differs = (k: string) => new Set(flat.map((m) => m.get(k) ?? '—')).size > 1;
  const head = html`<tr><th>setting</th>${runs.map((r) => html`<th class="run">${r.name}</th>`)}</tr>`;
  const row = (k: string) =>
    html`<tr><th scope="row">${k}</th>${flat.map((m) => html`<td>${m.get(k) ?? '—'}</td>`)}</tr>`;
  const different = keys.filter(differs);
  const same = keys.filter((k) => !differs(k));
  return html`<table class="config differ">${head}${different.length ? different.map(row) : html`<tr><td colspan="${runs.length + 1}">All runs have the same settings.</td></tr>`}</table>
<details><summary>${same.length} settings shared by all runs</summary><table class="config">${head}${same.map(row)}</table></details>`;
}
