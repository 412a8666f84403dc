import { NntkError } from '@nntk/core';

/** A histogram as TensorBoard's `HistogramProto` holds it: `bucketLimits` are the right edges. */
export interface HistogramData {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimits: number[];
  bucketCounts: number[];
}

let tensorflowEdges: number[] | undefined;

/**
 * TensorBoard's default bins (PyTorch's `SummaryWriter.default_bins`): ±1e-12·1.1^k below 1e20, and 0.
 */
export function tensorflowBins(): number[] {
  if (tensorflowEdges) return tensorflowEdges;
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  tensorflowEdges = [...positive.map((v) => -v).reverse(), 0, ...positive];
  return tensorflowEdges;
}

/** `np.linspace(first, last, count + 1)` with NumPy's arithmetic (i·step + start, last edge exact). */
function uniformEdges(values: Float64Array, count: number): number[] {
  let first = Infinity;
  let last = -Infinity;
  for (const v of values) {
    if (v < first) first = v;
    if (v > last) last = v;
  }
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const step = (last - first) / count;
  const edges = Array.from({ length: count + 1 }, (_, i) => i * step + first);
  edges[count] = last;
  return edges;
}

/** `np.histogram` counts: bin i holds edges[i] <= v < edges[i+1], the last bin also v == its right edge. */
function countBins(values: Float64Array, edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const lastEdge = edges[edges.length - 1];
  for (const v of values) {
    if (!(v >= edges[0] && v <= lastEdge)) continue;
    let lo = 0;
    let hi = edges.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid;
    }
    counts[lo] += 1;
  }
  return counts;
}

/**
 * The histogram `torch.utils.tensorboard`'s `make_histogram` builds: NumPy's bin counts over `bins`
 * ('tensorflow' for TensorBoard's default edges, or a count of equal bins between min and max), trimmed
 * to the bins from the first to the last non-empty one, with one empty bin kept on the left.
 */
export function makeHistogram(
  input: ArrayLike<number>,
  bins: 'tensorflow' | number = 'tensorflow',
): HistogramData {
  const values = Float64Array.from(input);
  if (values.length === 0)
    throw new NntkError('INVALID_OPTION', 'TensorBoardLogger.addHistogram: the values are empty');
  if (values.some((v) => !Number.isFinite(v)))
    throw new NntkError(
      'INVALID_OPTION',
      'TensorBoardLogger.addHistogram: the values must be finite (found NaN or Infinity)',
    );
  const edges = bins === 'tensorflow' ? tensorflowBins() : uniformEdges(values, bins);
  const counts = countBins(values, edges);
  const first = counts.findIndex((c) => c > 0);
  let last = counts.length - 1;
  while (last >= 0 && counts[last] === 0) last -= 1;
  if (first < 0)
    throw new NntkError(
      'INVALID_OPTION',
      'TensorBoardLogger.addHistogram: every value lies outside the bins (|v| >= 1e20)',
    );
  const bucketCounts = first > 0 ? counts.slice(first - 1, last + 1) : [0, ...counts.slice(0, last + 1)];
  let sum = 0;
  let sumSquares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    sumSquares += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    min,
    max,
    num: values.length,
    sum,
    sumSquares,
    bucketLimits: edges.slice(first, last + 2),
    bucketCounts,
  };
}
