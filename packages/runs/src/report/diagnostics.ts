import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DiagnosticsRecord, type HistogramData, readJsonLines, runPath } from '@nntk/trainer';
import { escapeHtml } from './html';

const esc = (value: unknown): string => escapeHtml(String(value));

/** A line of `diagnostics/records.jsonl`: a `DiagnosticsRecord` with its filter image saved to a file. */
type StoredRecord = Omit<DiagnosticsRecord, 'filters'> & {
  filters?: { name: string; file: string; width: number; height: number };
};

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(3) : String(value);
}

/** A small bar chart of one histogram as inline SVG (bars scaled to the largest bucket). */
function histogramSvg(title: string, h: HistogramData): string {
  const [w, ht, pad] = [220, 90, 14];
  const peak = Math.max(1, ...h.bucketCounts);
  const bar = (w - 2) / Math.max(1, h.bucketCounts.length);
  const bars = h.bucketCounts
    .map((c, i) => {
      const height = ((ht - 2 * pad) * c) / peak;
      return `<rect x="${esc((1 + i * bar).toFixed(2))}" y="${esc((ht - pad - height).toFixed(2))}" width="${esc(Math.max(0.5, bar - 0.5).toFixed(2))}" height="${esc(height.toFixed(2))}" fill="#4c78a8"/>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${ht}" role="img" aria-label="${esc(title)}"><text x="1" y="10" font-size="10">${esc(title)}</text>${bars}<text x="1" y="${ht - 2}" font-size="9">${esc(fmt(h.min))}</text><text x="${w - 1}" y="${ht - 2}" font-size="9" text-anchor="end">${esc(fmt(h.max))}</text></svg>`;
}

/**
 * The report's diagnostics section for one run directory, from what `TrainingDiagnostics` wrote under
 * `<runDir>/diagnostics/`: the last record's weight and gradient histograms, norms and update ratios,
 * activation statistics, and the first-layer filters. An empty string when the run has no diagnostics.
 * Every interpolated value is HTML-escaped.
 */
export async function diagnosticsSection(runDir: string, runName: string): Promise<string> {
  const dir = runPath(runDir, 'diagnostics');
  const recordsPath = join(dir, 'records.jsonl');
  if (!existsSync(recordsPath)) return '';
  const records = await readJsonLines<StoredRecord>(recordsPath);
  const last = records.at(-1);
  if (!last) return '';
  const rows = last.parameters
    .map(
      (p) =>
        `<tr><td>${esc(p.name)}</td><td>${esc(p.shape.join('×'))}</td><td>${esc(fmt(p.weightNorm))}</td><td>${esc(fmt(p.gradNorm))}</td><td>${esc(fmt(p.updateRatio))}</td></tr>`,
    )
    .join('');
  const activations = last.activations
    .map(
      (a) =>
        `<tr><td>${esc(a.name)}</td><td>${esc(fmt(a.mean))}</td><td>${esc(fmt(a.std))}</td><td>${esc(fmt(a.fractionZero))}</td></tr>`,
    )
    .join('');
  const histograms = last.parameters
    .map(
      (p) =>
        `${histogramSvg(`${p.name} weights`, p.weightHistogram)}${histogramSvg(`${p.name} gradients`, p.gradHistogram)}`,
    )
    .join('');
  let filters = '';
  const filterPath = last.filters ? join(dir, last.filters.file) : undefined;
  if (last.filters && filterPath && existsSync(filterPath)) {
    const data = (await readFile(filterPath)).toString('base64');
    filters = `<h4>First-layer filters (${esc(last.filters.name)})</h4><img alt="${esc(`filters of ${last.filters.name}`)}" src="data:image/png;base64,${esc(data)}" width="${esc(last.filters.width * 2)}" style="image-rendering:pixelated">`;
  }
  return `<section class="diagnostics" id="${esc(`diagnostics-${runName}`)}"><h3>Diagnostics: ${esc(runName)}, step ${esc(last.step)} (epoch ${esc(last.epoch + 1)})</h3><table><tr><th>parameter</th><th>shape</th><th>‖w‖</th><th>‖g‖</th><th>‖Δw‖/‖w‖</th></tr>${rows}</table>${activations ? `<table><tr><th>module</th><th>mean</th><th>std</th><th>zeros</th></tr>${activations}</table>` : ''}<div>${histograms}</div>${filters}</section>`;
}
