import { check } from '@nntk/core';

/** How per-class scores are combined: unweighted mean, global counts, support-weighted mean, or per class. */
export type Average = 'macro' | 'micro' | 'weighted' | 'none';

interface ClassCounts {
  tp: number[];
  fp: number[];
  fn: number[];
  support: number[];
}

export function countsOf(matrix: number[][]): ClassCounts {
  const k = matrix.length;
  const tp = matrix.map((row, i) => row[i]);
  const support = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = Array.from({ length: k }, (_, j) => matrix.reduce((s, row) => s + row[j], 0));
  return { tp, fp: predicted.map((p, i) => p - tp[i]), fn: support.map((s, i) => s - tp[i]), support };
}

/** n/d, with scikit-learn's `zero_division=0` rule: 0 when the denominator is 0. */
function safeDivide(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}

export type ScoreKind = 'precision' | 'recall' | 'f1';

function perClass(kind: ScoreKind, c: ClassCounts): number[] {
  return c.tp.map((tp, i) => {
    const precision = safeDivide(tp, tp + c.fp[i]);
    const recall = safeDivide(tp, tp + c.fn[i]);
    if (kind === 'precision') return precision;
    if (kind === 'recall') return recall;
    return safeDivide(2 * tp, 2 * tp + c.fp[i] + c.fn[i]);
  });
}

/** Precision, recall or F1 from a confusion matrix, averaged as scikit-learn does. */
export function scoreFromMatrix(kind: ScoreKind, matrix: number[][], average: Average): number | number[] {
  check.oneOf(kind, 'average', average, ['macro', 'micro', 'weighted', 'none']);
  const c = countsOf(matrix);
  const scores = perClass(kind, c);
  if (average === 'none') return scores;
  if (average === 'micro') {
    const tp = c.tp.reduce((a, b) => a + b, 0);
    const fp = c.fp.reduce((a, b) => a + b, 0);
    const fn = c.fn.reduce((a, b) => a + b, 0);
    if (kind === 'precision') return safeDivide(tp, tp + fp);
    if (kind === 'recall') return safeDivide(tp, tp + fn);
    return safeDivide(2 * tp, 2 * tp + fp + fn);
  }
  if (average === 'weighted') {
    const total = c.support.reduce((a, b) => a + b, 0);
    return safeDivide(
      scores.reduce((s, v, i) => s + v * c.support[i], 0),
      total,
    );
  }
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}
