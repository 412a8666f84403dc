import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@nntk/core/node';
import { axisFor, escapeHtml, linesSvg, parallelSvg, rankColour, scatterSvg } from './internal/svg-plots';
import { formatMeanStd } from './internal/sweep-configurations';
import type { SweepResult } from './sweep-result';

function cell(v: unknown): string {
  if (typeof v === 'number') return Number(v.toPrecision(4)).toString();
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
}

export interface SweepReportOptions {
  /** The metric ranked by (the sweep's `monitor`). */
  monitor: string;
  mode: 'min' | 'max';
  /** Best runs whose curves are drawn. Default 5. */
  topK?: number;
  title?: string;
}

/**
 * Writes `<outDir>/sweep-report.html`: one self-contained page (inline SVG, no scripts, works offline)
 * with the ranked configurations (mean ± std over seeds), each hyperparameter against the objective,
 * a parallel-coordinates plot of all hyperparameters and the objective, and the best runs' curves of
 * the monitored metric per epoch. Every text is HTML-escaped. Returns the file's path.
 */
export async function writeSweepReport(
  result: Pick<SweepResult, 'rows' | 'configurations' | 'histories'>,
  outDir: string,
  options: SweepReportOptions,
): Promise<string> {
  const { monitor, mode } = options;
  const topK = options.topK ?? 5;
  const scored = result.rows.filter((r) => r.best !== null && r.status !== 'failed');
  const keys = [...new Set(result.rows.flatMap((r) => Object.keys(r.overrides)))];
  const rankOf = new Map(scored.map((r, i) => [r.run, scored.length > 1 ? i / (scored.length - 1) : 0]));
  const objective = axisFor(
    `best ${monitor}`,
    scored.map((r) => r.best),
  );
  const title = (r: (typeof scored)[number]) => `${r.run}: ${monitor} ${r.best} (${r.status})`;
  const scatters = keys
    .map((k) =>
      scatterSvg(
        axisFor(
          k,
          scored.map((r) => r.overrides[k]),
        ),
        objective,
        scored.map((r) => ({
          x: r.overrides[k],
          y: r.best,
          colour: rankColour(rankOf.get(r.run) ?? 1),
          title: title(r),
        })),
      ),
    )
    .join('\n');
  const parallelAxes = [
    ...keys.map((k) =>
      axisFor(
        k,
        scored.map((r) => r.overrides[k]),
      ),
    ),
    objective,
  ];
  const parallel = parallelSvg(
    parallelAxes,
    [...scored].reverse().map((r) => ({
      values: [...keys.map((k) => r.overrides[k]), r.best],
      colour: rankColour(rankOf.get(r.run) ?? 1),
      title: title(r),
    })),
  );
  const best = scored.slice(0, topK);
  const curveValues = best.flatMap((r) => (result.histories[r.run] ?? []).map((l) => l[monitor]));
  const maxEpochs = Math.max(1, ...best.map((r) => (result.histories[r.run] ?? []).length));
  const curves = linesSvg(
    axisFor('epoch', [1, maxEpochs]),
    axisFor(monitor, curveValues),
    best.map((r, i) => ({
      points: (result.histories[r.run] ?? []).map((l, e): [number, number] => [e + 1, l[monitor]]),
      colour: rankColour(best.length > 1 ? i / (best.length - 1) : 0),
      title: r.run,
    })),
  );
  const legend = best
    .map(
      (r, i) =>
        `<li><span style="color:${rankColour(best.length > 1 ? i / (best.length - 1) : 0)}">■</span> ${escapeHtml(r.run)}</li>`,
    )
    .join('');
  const table = result.configurations
    .map(
      (c, i) =>
        `<tr><td>${i + 1}</td>${keys.map((k) => `<td>${escapeHtml(cell(c.overrides[k]))}</td>`).join('')}<td>${escapeHtml(formatMeanStd(c))}</td><td>${escapeHtml(c.status)}</td></tr>`,
    )
    .join('');
  const counts = ['completed', 'pruned', 'failed', 'interrupted']
    .map((s) => `${result.rows.filter((r) => r.status === s).length} ${s}`)
    .join(', ');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.title ?? 'nntk sweep report')}</title>
<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}.grid{display:flex;flex-wrap:wrap;gap:12px}ul{list-style:none;padding:0;font-size:12px}</style>
</head><body>
<h1>${escapeHtml(options.title ?? 'nntk sweep report')}</h1>
<p>${result.rows.length} runs (${escapeHtml(counts)}); objective: ${escapeHtml(mode === 'min' ? 'lowest' : 'highest')} <code>${escapeHtml(monitor)}</code>. Darker is better.</p>
<h2>Configurations, ranked (mean ± std over seeds)</h2>
<table><tr><th>#</th>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}<th>best ${escapeHtml(monitor)}</th><th>status</th></tr>${table}</table>
<h2>Each hyperparameter against the objective</h2>
<div class="grid">${scatters}</div>
<h2>Parallel coordinates</h2>
${parallel}
<h2>Best runs' curves</h2>
<div class="grid">${curves}<ul>${legend}</ul></div>
</body></html>
`;
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'sweep-report.html');
  await writeFileAtomic(path, html);
  return path;
}
