import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { NntkError } from '@nntk/core';
import type { Logs } from '../callback';
import type { StepRecord } from '../step-logger';

/** Everything the report reads from one run directory. */
export interface RunData {
  /** The run's name: its directory's name, or `parent/name` when runs share a name. */
  name: string;
  dir: string;
  epochs: Logs[];
  steps: StepRecord[];
  config?: Record<string, unknown>;
  /** Metrics on the held-out test set (`test-metrics.json`), apart from validation. */
  test?: Record<string, number>;
  confusionMatrix?: number[][];
  classNames?: string[];
  /** Which split the confusion matrix was computed on (`test` or `validation`). */
  confusionSplit?: string;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new NntkError('CORRUPT_DATA', `${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function readJsonLines<T>(path: string): Promise<T[]> {
  if (!existsSync(path)) return [];
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim());
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as T;
    } catch (error) {
      throw new NntkError('CORRUPT_DATA', `${path}, line ${i + 1}, is not valid JSON`, { cause: error });
    }
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a run directory (metrics.jsonl, steps.jsonl, config.json, test-metrics.json, confusion-matrix.json). */
export async function readRun(dir: string): Promise<RunData> {
  const metricsPath = join(dir, 'metrics.jsonl');
  if (!existsSync(metricsPath))
    throw new NntkError(
      'FILE_NOT_FOUND',
      `${dir} has no metrics.jsonl, so it is not a run directory (nntk train and a Trainer with runDir write one)`,
    );
  const run: RunData = {
    name: basename(resolve(dir)),
    dir,
    epochs: await readJsonLines<Logs>(metricsPath),
    steps: await readJsonLines<StepRecord>(join(dir, 'steps.jsonl')),
  };
  const config = join(dir, 'config.json');
  if (existsSync(config)) {
    const data = await readJson(config);
    if (isRecord(data)) run.config = data;
  }
  const test = join(dir, 'test-metrics.json');
  if (existsSync(test)) {
    const data = await readJson(test);
    if (isRecord(data))
      run.test = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number')) as Record<
        string,
        number
      >;
  }
  const confusion = join(dir, 'confusion-matrix.json');
  if (existsSync(confusion)) {
    const data = await readJson(confusion);
    if (isRecord(data) && Array.isArray(data.matrix)) {
      run.confusionMatrix = data.matrix as number[][];
      run.classNames = Array.isArray(data.classNames) ? data.classNames.map(String) : undefined;
      run.confusionSplit = typeof data.split === 'string' ? data.split : 'validation';
    }
  }
  return run;
}

/** Gives runs that share a directory name their parent's name too (`lr-1e-3/run`, `lr-3e-3/run`). */
export function disambiguate(runs: RunData[]): void {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  for (const r of runs)
    if ((count.get(r.name) ?? 0) > 1) r.name = `${basename(resolve(r.dir, '..'))}/${r.name}`;
}
