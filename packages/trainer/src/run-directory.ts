import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NntkError } from '@nntk/core';
import { writeFileAtomic } from '@nntk/core/node';
import type { Callback, Logs } from './callback';
import { findCheckpoint, removeStaleStaging, saveCheckpoint } from './checkpoint';
import type { CheckpointStore, RunStore } from './run-store';
import { StepLogger } from './step-logger';

/**
 * The files of a run directory, by role: everything nntk writes into one (the Trainer, `nntk train`,
 * the report) and reads back (resume, the report, sweeps). This module is the one place that knows
 * the layout and reads or writes `metrics.jsonl`.
 */
export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  steps: 'steps.jsonl',
  checkpoints: 'checkpoints',
  testMetrics: 'test-metrics.json',
  confusionMatrix: 'confusion-matrix.json',
  report: 'report',
  diagnostics: 'diagnostics',
} as const;

export type RunFile = keyof typeof RUN_FILES;

/** The path of one file of a run directory (`runPath(dir, 'metrics')` is `<dir>/metrics.jsonl`). */
export function runPath(runDir: string, file: RunFile): string {
  return join(runDir, RUN_FILES[file]);
}

/** The checkpoint `resumeFrom: 'last'` means for a run directory (`<runDir>/checkpoints/last`). */
export function lastCheckpointDirectory(runDir: string): string {
  return join(runDir, RUN_FILES.checkpoints, 'last');
}

/**
 * Parses JSON Lines text (one JSON value a line, blank lines skipped). A line that does not parse raises
 * a `CORRUPT_DATA` NntkError naming `path` and the line, or, with `torn: 'stop'` (a file another process
 * is appending to), ends the list there.
 */
export function parseJsonLines<T>(
  text: string,
  path: string,
  options: { torn?: 'error' | 'stop' } = {},
): T[] {
  const out: T[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch (error) {
      if (options.torn === 'stop') break;
      throw new NntkError('CORRUPT_DATA', `${path}, line ${i + 1}, is not valid JSON`, { cause: error });
    }
  }
  return out;
}

/** The records of a JSON Lines file; an empty list when the file does not exist. */
export async function readJsonLines<T>(
  path: string,
  options: { torn?: 'error' | 'stop' } = {},
): Promise<T[]> {
  if (!existsSync(path)) return [];
  return parseJsonLines<T>(await readFile(path, 'utf8'), path, options);
}

/** A JSON file's value; invalid JSON raises a `CORRUPT_DATA` NntkError naming the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new NntkError('CORRUPT_DATA', `${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * The epoch logs of a run directory's `metrics.jsonl`, one per finished epoch (an empty list when
 * there is none yet). `torn: 'stop'` reads a file still being written by another process up to its
 * last complete line; by default a bad line is a `CORRUPT_DATA` NntkError.
 */
export async function readMetrics(
  runDir: string,
  options: { torn?: 'error' | 'stop' } = {},
): Promise<Logs[]> {
  return readJsonLines<Logs>(runPath(runDir, 'metrics'), options);
}

/** Replaces `metrics.jsonl` with `epochs`, one JSON object a line, atomically (no reader sees half). */
export async function writeMetrics(runDir: string, epochs: readonly Logs[]): Promise<void> {
  const text = epochs.map((logs) => `${JSON.stringify(logs)}\n`).join('');
  await writeFileAtomic(runPath(runDir, 'metrics'), text);
}

/** Writes `config.json` (pretty-printed, atomically). */
export async function writeRunConfig(runDir: string, config: unknown): Promise<void> {
  await writeFileAtomic(runPath(runDir, 'config'), `${JSON.stringify(config ?? {}, null, 2)}\n`);
}

/** `config.json` as an object, or undefined when it is missing or not an object. */
export async function readRunConfig(runDir: string): Promise<Record<string, unknown> | undefined> {
  const path = runPath(runDir, 'config');
  if (!existsSync(path)) return undefined;
  const data = await readJsonFile(path);
  return typeof data === 'object' && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : undefined;
}

/** Checkpoint directories on disk (`saveCheckpoint`, `findCheckpoint`, `removeStaleStaging`). */
export const fileCheckpointStore: CheckpointStore = {
  save: saveCheckpoint,
  find: findCheckpoint,
  removeStaleStaging,
};

/**
 * A run directory on disk, as a Trainer with `runDir` writes it: `config.json` and an empty
 * `metrics.jsonl` when a fresh run begins, `metrics.jsonl` rewritten at every epoch end,
 * `steps.jsonl` by a `StepLogger`, `checkpoints/last` by the Trainer.
 */
export class FileRunStore implements RunStore {
  readonly lastCheckpoint: string;

  constructor(readonly dir: string) {
    if (typeof dir !== 'string' || dir.length === 0)
      throw new NntkError('INVALID_OPTION', 'Trainer: runDir must be a non-empty path');
    this.lastCheckpoint = lastCheckpointDirectory(dir);
  }

  async begin(config: unknown): Promise<void> {
    await writeRunConfig(this.dir, config);
    await writeMetrics(this.dir, []);
  }

  async writeEpochs(epochs: readonly Logs[]): Promise<void> {
    await writeMetrics(this.dir, epochs);
  }

  callbacks(): Callback[] {
    return [new StepLogger(runPath(this.dir, 'steps'))];
  }
}
