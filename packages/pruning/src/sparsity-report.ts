import type { Module } from '@nntk/core';

export interface SparsityRow {
  /** Dotted parameter name, as in the state dict. */
  name: string;
  shape: number[];
  size: number;
  zeros: number;
  /** zeros / size. */
  sparsity: number;
}

export interface SparsityReport {
  /** One row per weight (every parameter with 2+ dimensions). */
  layers: SparsityRow[];
  /** Over the weights in `layers`. */
  global: { size: number; zeros: number; sparsity: number };
  /** Every parameter element, biases and norm parameters included. */
  parametersBefore: number;
  /** Parameter elements that are not zero. */
  parametersAfter: number;
  /** The report as an aligned text table. */
  toString(): string;
}

function countZeros(values: ArrayLike<number>): number {
  let zeros = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === 0) zeros += 1;
  return zeros;
}

/** Zero fractions per weight and overall, and parameter counts before and after pruning (read with `await data()`). */
export async function sparsityReport(model: Module): Promise<SparsityReport> {
  const layers: SparsityRow[] = [];
  let parametersBefore = 0;
  let zerosAll = 0;
  for (const [name, param] of model.namedParameters()) {
    const zeros = countZeros(await param.data());
    parametersBefore += param.size;
    zerosAll += zeros;
    if (param.rank >= 2)
      layers.push({ name, shape: param.shape, size: param.size, zeros, sparsity: zeros / param.size });
  }
  const size = layers.reduce((n, r) => n + r.size, 0);
  const zeros = layers.reduce((n, r) => n + r.zeros, 0);
  const report = {
    layers,
    global: { size, zeros, sparsity: size ? zeros / size : 0 },
    parametersBefore,
    parametersAfter: parametersBefore - zerosAll,
    toString: () => formatReport(report),
  };
  return report;
}

function formatReport(report: SparsityReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const rows = [
    ['parameter', 'shape', 'size', 'zeros', 'sparsity'],
    ...report.layers.map((r) => [r.name, `[${r.shape}]`, String(r.size), String(r.zeros), pct(r.sparsity)]),
    ['all weights', '', String(report.global.size), String(report.global.zeros), pct(report.global.sparsity)],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
  );
  lines.push(`parameters: ${report.parametersBefore} before, ${report.parametersAfter} non-zero after`);
  return lines.join('\n');
}
