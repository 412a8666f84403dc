import { NntkError } from '@nntk/core';
import { writeReport } from '@nntk/runs';
import { runPath } from '@nntk/trainer';
import type { ParsedArgs } from '../command';

export const reportHelp = `Usage: nntk report <runDir> [<runDir> ...] [--out DIR]

Writes one offline HTML page (plus each plot as an SVG file): for one run its summary, loss and metric
curves per epoch (train solid, validation dashed), loss and learning rate per step, the confusion
matrix (counts and row shares), test-set metrics apart from validation, each epoch and the config;
for several runs a comparison page with the settings that differ and the runs' curves overlaid.

Options:
  --out DIR           where index.html goes (default <first runDir>/report)

Examples:
  nntk report runs/demo-2026-11-22T10-00-00
  nntk report runs/lr-* --out runs/lr-comparison`;

export async function report(args: ParsedArgs): Promise<number> {
  if (args.positional.length === 0) throw new NntkError('USAGE', 'give at least one run directory');
  const out = args.options.out ?? runPath(args.positional[0], 'report');
  const result = await writeReport(args.positional, out);
  process.stdout.write(`report: ${result.html}\n`);
  return 0;
}
