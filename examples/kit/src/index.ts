// Helpers shared by the examples (not a published package): arguments, data location, result files.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '@nntk/core';
import {
  type Dataset,
  type Example,
  embeddedFashionMnist,
  fashionMnist,
  Subset,
  type TensorDataset,
} from '@nntk/datasets';
import { renderVegaLite } from '@nntk/runs';

export interface ExampleArgs {
  /** `--quick`: a run of about a minute on a subsample. */
  quick: boolean;
  /** `--out DIR`: where results go (default `results/`, or `results-quick/` with --quick). */
  outDir: string;
}

/** Parses `--quick` and `--out DIR` (relative to the example's directory, where pnpm runs it). */
export function exampleArgs(argv: string[] = process.argv.slice(2)): ExampleArgs {
  const quick = argv.includes('--quick');
  const outIndex = argv.indexOf('--out');
  const outDir = resolve(outIndex >= 0 ? argv[outIndex + 1] : quick ? 'results-quick' : 'results');
  return { quick, outDir };
}

const SHARED_DATA = new URL('../../../../shared/data', import.meta.url).pathname;

/**
 * Points `NNTK_DATA_DIR` at the repository's `../shared/data` when it exists and nothing else was set;
 * otherwise the readers download into their cache (or say what to place where when offline).
 */
export function useLocalDataIfPresent(): void {
  if (!process.env.NNTK_DATA_DIR && existsSync(join(SHARED_DATA, 'fashion-mnist'))) {
    process.env.NNTK_DATA_DIR = SHARED_DATA;
  }
}

function firstN<T>(data: Dataset<T>, n: number | undefined): Dataset<T> {
  return n === undefined || n >= data.length
    ? data
    : new Subset(
        data,
        Array.from({ length: n }, (_, i) => i),
      );
}

/** The size of the Fashion-MNIST subset embedded in @nntk/datasets (the first images of each official file). */
export const EMBEDDED_FASHION_MNIST = { train: 6000, test: 1000 };

/**
 * Fashion-MNIST train and test splits, optionally the first `train`/`test` examples. When both limits fit
 * in the subset embedded in @nntk/datasets (quick runs), that subset is used: it holds the first 6,000 /
 * 1,000 images of the official files, so the data are the same as from the full files, with no data
 * directory or download. Otherwise the full files are read (`NNTK_DATA_DIR`, `../shared/data`, or a
 * download into the cache).
 */
export async function fashionMnistSplits(limits: { train?: number; test?: number } = {}) {
  const fits = (n: number | undefined, size: number) => n !== undefined && n <= size;
  if (fits(limits.train, EMBEDDED_FASHION_MNIST.train) && fits(limits.test, EMBEDDED_FASHION_MNIST.test)) {
    const train = await embeddedFashionMnist({ split: 'train' });
    const test = await embeddedFashionMnist({ split: 'test' });
    return { train: firstN(train, limits.train), test: firstN(test, limits.test) };
  }
  useLocalDataIfPresent();
  const train: TensorDataset = await fashionMnist({ split: 'train', download: true });
  const test: TensorDataset = await fashionMnist({ split: 'test', download: true });
  return { train: firstN(train, limits.train), test: firstN(test, limits.test) };
}

/** A GitHub-flavoured Markdown table. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => (typeof v === 'number' ? formatNumber(v) : v);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 0.01 ? v.toFixed(4) : v.toExponential(2);
}

/** Writes `results.json` and `results.md` (atomically) into `outDir` and prints the Markdown. */
export async function saveResults(
  outDir: string,
  results: Record<string, unknown>,
  markdown: string,
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFileAtomic(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFileAtomic(join(outDir, 'results.md'), `${markdown}\n`);
  process.stdout.write(`\n${markdown}\n\nresults: ${outDir}\n`);
}

/** Seconds since `started` (from `performance.now()`), rounded to 0.1. */
export function secondsSince(started: number): number {
  return Math.round((performance.now() - started) / 100) / 10;
}

/** A data set's images and labels as flat arrays (`x`: n × 784 floats in [0, 1], `y`: n labels). */
export async function datasetArrays(
  data: Dataset<Example>,
  limit = data.length,
): Promise<{ x: Float32Array; y: Int32Array; n: number }> {
  const n = Math.min(limit, data.length);
  const x = new Float32Array(n * 784);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const example = await data.get(i);
    x.set(example.x as Float32Array, i * 784);
    y[i] = example.y as number;
  }
  return { x, y, n };
}

/** One point of a line chart: `series` names the line. */
export interface ChartPoint {
  x: number;
  y: number;
  series: string;
}

/** Writes a Vega-Lite line chart as an SVG file (rendered in Node by @nntk/trainer) and returns its path. */
export async function writeLineChart(
  path: string,
  title: string,
  points: ChartPoint[],
  axes: { x: string; y: string; yZero?: boolean },
): Promise<string> {
  const svg = await renderVegaLite({
    title,
    width: 460,
    height: 260,
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: axes.x },
      y: { field: 'y', type: 'quantitative', title: axes.y, scale: { zero: axes.yZero ?? false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, svg);
  return path;
}
