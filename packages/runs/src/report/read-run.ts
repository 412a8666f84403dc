import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { NntkError } from '@nntk/core';
import {
  type Logs,
  RUN_FILES,
  readJsonFile,
  readJsonLines,
  readMetrics,
  readRunConfig,
  runPath,
  type StepRecord,
} from '@nntk/trainer';
import type { RunData } from './run-data';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a run directory for the report (metrics.jsonl, steps.jsonl, config.json, test-metrics.json,
 * confusion-matrix.json) through the run-directory module of `@nntk/trainer`.
 */
export async function readRun(dir: string): Promise<RunData> {
  if (!existsSync(runPath(dir, 'metrics')))
    throw new NntkError(
      'FILE_NOT_FOUND',
      `${dir} has no ${RUN_FILES.metrics}, so it is not a run directory (nntk train and a Trainer with runDir write one)`,
    );
  const run: RunData = {
    name: basename(resolve(dir)),
    dir,
    epochs: await readMetrics(dir),
    steps: await readJsonLines<StepRecord>(runPath(dir, 'steps')),
  };
  const config = await readRunConfig(dir);
  if (config) run.config = config;
  const test = runPath(dir, 'testMetrics');
  if (existsSync(test)) {
    const data = await readJsonFile(test);
    if (isRecord(data))
      run.test = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number')) as Logs;
  }
  const confusion = runPath(dir, 'confusionMatrix');
  if (existsSync(confusion)) {
    const data = await readJsonFile(confusion);
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
