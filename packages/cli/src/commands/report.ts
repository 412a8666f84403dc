import { join } from 'node:path';
import { NntkError } from '@nntk/core';
import { writeReport } from '@nntk/trainer';

export const reportHelp = `Usage: nntk report <runDir> [<runDir> ...] [--out DIR]

Writes an HTML report (with standalone SVG plots) comparing run directories: loss and metric curves,
learning rate, confusion matrices, and final values side by side.

Examples:
  nntk report runs/demo-2026-11-22T10-00-00
  nntk report runs/lr-* --out runs/lr-comparison`;

export async function report(args: {
  positional: string[];
  options: Record<string, string>;
}): Promise<number> {
  if (args.positional.length === 0)
    throw new NntkError('INVALID_CONFIG', 'nntk report: give at least one run directory');
  const out = args.options.out ?? join(args.positional[0], 'report');
  const result = await writeReport(args.positional, out);
  process.stdout.write(`report: ${result.html}\n`);
  return 0;
}
