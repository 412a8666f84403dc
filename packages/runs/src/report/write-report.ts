import { join } from 'node:path';
import { NntkError } from '@nntk/core';
import { writeFileAtomic } from '@nntk/core/node';
import { confusionTable } from './confusion';
import { diagnosticsSection } from './diagnostics';
import { html, type SafeHtml, trusted } from './html';
import { disambiguate, readRun } from './read-run';
import { renderVegaLite } from './render-vega-lite';
import { reportSpecs } from './report-specs';
import { REPORT_CSS } from './style';
import { configTable, epochTable, metricKeys, settingsComparison, summaryTable } from './tables';

export interface ReportResult {
  html: string;
  svgs: string[];
}

function section(title: string, body: SafeHtml | SafeHtml[], id: string): SafeHtml {
  return html`<section id="${id}"><h2>${title}</h2>${body}</section>`;
}

/**
 * Writes a self-contained, offline HTML report for one run directory, or a comparison page for several:
 * a summary (final train and validation values, the best validation epoch, test-set metrics apart),
 * for several runs the settings that differ, loss and metric curves per epoch (train solid, validation
 * dashed), training loss and learning rate per step, confusion matrices (counts and row shares), each
 * epoch's values and the config. Plots are Vega-Lite rendered to SVG in Node and also written to `out`
 * as standalone SVG files. Every value taken from the runs is HTML-escaped.
 */
export async function writeReport(
  runDirs: string[],
  out: string,
  options: { title?: string } = {},
): Promise<ReportResult> {
  if (runDirs.length === 0)
    throw new NntkError('INVALID_OPTION', 'give at least one run directory to report on');
  const runs = await Promise.all(runDirs.map(readRun));
  disambiguate(runs);
  const keys = metricKeys(runs);
  const svgs: string[] = [];
  const figures: SafeHtml[] = [];
  for (const { name: file, spec } of reportSpecs(runs, keys)) {
    const svg = await renderVegaLite(spec);
    const path = join(out, `${file}.svg`);
    await writeFileAtomic(path, svg);
    svgs.push(path);
    figures.push(html`<figure id="${`plot-${file}`}">${trusted(svg)}</figure>`);
  }
  const compare = runs.length > 1;
  const sections: SafeHtml[] = [section('Summary', summaryTable(runs, keys), 'summary')];
  if (compare) sections.push(section('Settings that differ', settingsComparison(runs), 'settings'));
  sections.push(section('Curves', html`<div class="grid">${figures}</div>`, 'curves'));
  const matrices = runs.filter((r) => r.confusionMatrix);
  if (matrices.length)
    sections.push(
      section('Confusion matrix', html`<div class="grid">${matrices.map(confusionTable)}</div>`, 'confusion'),
    );
  // Further sections (diagnostics: histograms, filters) are pushed here, each a SafeHtml from its own file.
  const diagnostics = await Promise.all(runs.map((run) => diagnosticsSection(run.dir, run.name)));
  for (const part of diagnostics) if (part) sections.push(trusted(part));
  for (const [i, run] of runs.entries())
    sections.push(
      section(
        compare ? `${run.name}: epochs and config` : 'Epochs and config',
        html`<div class="grid"><div>${epochTable(run, keys)}</div><div>${configTable(run)}</div></div>`,
        `run-${i}`,
      ),
    );
  const title =
    options.title ?? (compare ? `nntk comparison of ${runs.length} runs` : `nntk run ${runs[0].name}`);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${trusted(REPORT_CSS)}</style></head>
<body><header><h1>${title}</h1><p class="muted">${runs.map((r) => r.dir).join(' · ')} · written ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC</p></header>
${sections}
</body></html>
`;
  const htmlPath = join(out, 'index.html');
  await writeFileAtomic(htmlPath, page.value);
  return { html: htmlPath, svgs };
}
