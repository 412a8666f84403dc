import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NntkError, writeFileAtomic } from '@nntk/core';
import type { Logs } from './callback';
import { diagnosticsSection } from './internal/report-diagnostics';

interface RunData {
  name: string;
  epochs: Logs[];
  confusionMatrix?: number[][];
  classNames?: string[];
}

async function readRun(dir: string): Promise<RunData> {
  const metricsPath = join(dir, 'metrics.jsonl');
  if (!existsSync(metricsPath))
    throw new NntkError(
      'FILE_NOT_FOUND',
      `writeReport: ${dir} has no metrics.jsonl (is it a run directory?)`,
    );
  const lines = (await readFile(metricsPath, 'utf8')).split('\n').filter((l) => l.trim());
  const run: RunData = { name: basename(dir), epochs: lines.map((l) => JSON.parse(l)) };
  const confusionPath = join(dir, 'confusion-matrix.json');
  if (existsSync(confusionPath)) {
    const data = JSON.parse(await readFile(confusionPath, 'utf8'));
    run.confusionMatrix = data.matrix;
    run.classNames = data.classNames;
  }
  return run;
}

/** Renders a Vega-Lite specification to SVG in Node (no browser, no canvas). */
export async function renderVegaLite(spec: Record<string, unknown>): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function curveSpec(
  title: string,
  rows: Record<string, unknown>[],
  yTitle: string,
  logScale = false,
): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 480,
    height: 260,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: yTitle,
        scale: logScale ? { type: 'log' } : { zero: false },
      },
      color: { field: 'run', type: 'nominal' },
      strokeDash: { field: 'split', type: 'nominal' },
    },
  };
}

function series(runs: RunData[], keys: [string, string][]): Record<string, unknown>[] {
  return runs.flatMap((run) =>
    run.epochs.flatMap((logs, i) =>
      keys
        .filter(([key]) => typeof logs[key] === 'number' && Number.isFinite(logs[key]))
        .map(([key, split]) => ({ run: run.name, epoch: (logs.epoch ?? i) + 1, value: logs[key], split })),
    ),
  );
}

function confusionSpec(run: RunData): Record<string, unknown> {
  const names = run.classNames ?? run.confusionMatrix?.map((_, i) => String(i)) ?? [];
  const values = (run.confusionMatrix ?? []).flatMap((row, t) =>
    row.map((count, p) => ({ actual: names[t], predicted: names[p], count })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Confusion matrix (${run.name})`,
    width: 360,
    height: 360,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: names },
      y: { field: 'actual', type: 'nominal', sort: names },
    },
    layer: [
      {
        mark: 'rect',
        encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' } } },
      },
      {
        mark: { type: 'text', fontSize: 9 },
        encoding: { text: { field: 'count', type: 'quantitative' }, color: { value: 'black' } },
      },
    ],
  };
}

function comparisonSpec(runs: RunData[], key: string): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Final ${key} by run`,
    width: 480,
    height: Math.max(120, 22 * runs.length),
    data: {
      values: runs
        .map((r) => ({ run: r.name, value: r.epochs.at(-1)?.[key] }))
        .filter((r) => typeof r.value === 'number'),
    },
    mark: 'bar',
    encoding: {
      y: { field: 'run', type: 'nominal', sort: '-x' },
      x: { field: 'value', type: 'quantitative', title: key },
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );
}

export interface ReportResult {
  html: string;
  svgs: string[];
}

/**
 * Writes a self-contained HTML report for run directories (loss and metric curves per run, learning rate,
 * confusion matrices, a comparison of runs) drawn with Vega-Lite and rendered to SVG in Node, plus each
 * plot as a standalone SVG file in `out`.
 */
export async function writeReport(
  runDirs: string[],
  out: string,
  options: { title?: string } = {},
): Promise<ReportResult> {
  if (runDirs.length === 0)
    throw new NntkError('INVALID_OPTION', 'writeReport: give at least one run directory');
  const runs = await Promise.all(runDirs.map(readRun));
  const metricKeys = [...new Set(runs.flatMap((r) => r.epochs.flatMap((e) => Object.keys(e))))].filter((k) =>
    ['accuracy', 'f1', 'precision', 'recall'].includes(k),
  );
  const plots: [string, Record<string, unknown>][] = [
    [
      'loss',
      curveSpec(
        'Loss',
        series(runs, [
          ['loss', 'train'],
          ['val_loss', 'validation'],
        ]),
        'loss',
      ),
    ],
  ];
  for (const key of metricKeys)
    plots.push([
      key,
      curveSpec(
        key[0].toUpperCase() + key.slice(1),
        series(runs, [
          [key, 'train'],
          [`val_${key}`, 'validation'],
        ]),
        key,
      ),
    ]);
  plots.push([
    'learning-rate',
    curveSpec('Learning rate', series(runs, [['lr', 'lr']]), 'learning rate', true),
  ]);
  for (const run of runs)
    if (run.confusionMatrix) plots.push([`confusion-matrix-${run.name}`, confusionSpec(run)]);
  if (runs.length > 1) {
    const key = runs.every((r) => typeof r.epochs.at(-1)?.val_loss === 'number') ? 'val_loss' : 'loss';
    plots.push([`comparison-${key}`, comparisonSpec(runs, key)]);
  }
  const svgs: string[] = [];
  const sections: string[] = [];
  for (const [name, spec] of plots) {
    const svg = await renderVegaLite(spec);
    const path = join(out, `${name}.svg`);
    await writeFileAtomic(path, svg);
    svgs.push(path);
    sections.push(`<figure id="${name}">${svg}</figure>`);
  }
  sections.push(...(await Promise.all(runDirs.map((d, i) => diagnosticsSection(d, runs[i].name)))));
  const columns = [...new Set(runs.flatMap((r) => Object.keys(r.epochs.at(-1) ?? {})))];
  const table = `<table><tr><th>run</th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>${runs
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.name)}</td>${columns.map((c) => `<td>${typeof r.epochs.at(-1)?.[c] === 'number' ? Number(r.epochs.at(-1)?.[c]).toPrecision(4) : ''}</td>`).join('')}</tr>`,
    )
    .join('')}</table>`;
  const title = escapeHtml(options.title ?? `nntk report: ${runs.map((r) => r.name).join(', ')}`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>body{font-family:system-ui,sans-serif;margin:2em}figure{display:inline-block;margin:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}</style></head><body><h1>${title}</h1><h2>Final epoch</h2>${table}<h2>Plots</h2>${sections.join('\n')}</body></html>\n`;
  const htmlPath = join(out, 'index.html');
  await writeFileAtomic(htmlPath, html);
  return { html: htmlPath, svgs };
}
