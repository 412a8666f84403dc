import { NntkError } from '@nntk/core';
import type { Logs } from '@nntk/trainer';
import { assertSafeKeyPath } from '../assert-safe-key-path';
import type { PrunerSpec } from '../trial-pruner';
import type { Overrides } from './sweep-space';
import type { SweepRow } from './sweep-summary';

/** The version of the job format below; a worker rejects other versions. */
export const TRIAL_JOB_FORMAT = 1;

/** What a queue job carries: data only (a config and names), never code or module paths. */
export interface TrialJob {
  format: number;
  /** The submitter's config schema version; a worker with another one rejects the job. */
  schemaVersion: number;
  sweepId: string;
  index: number;
  name: string;
  overrides: Overrides;
  seed?: number;
  /** The run config (the same schema as `nntk train`); the worker sets its own `runDir`. */
  config: Record<string, unknown>;
  monitor: string;
  mode: 'min' | 'max';
  pruner?: PrunerSpec;
}

/** What a finished job returns: the summary row and the metrics history (no shared disk needed). */
export interface TrialResult {
  row: SweepRow;
  logs: Logs[];
}

const NAME = /^\d{3,}(-[A-Za-z0-9._=-]+)?$/;

function reject(what: string): never {
  throw new NntkError('INVALID_JOB', `queue job rejected: ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a job taken from the queue before anything runs (shape, names, versions). */
export function validateTrialJob(data: unknown, schemaVersion: number): TrialJob {
  if (!isRecord(data)) reject('its data is not an object');
  if (data.format !== TRIAL_JOB_FORMAT) {
    reject(
      `job format ${JSON.stringify(data.format)}, this worker reads format ${TRIAL_JOB_FORMAT}; use the same nntk version to submit and to work`,
    );
  }
  if (data.schemaVersion !== schemaVersion) {
    reject(
      `the sweep was submitted with config schema version ${JSON.stringify(data.schemaVersion)}, this worker runs version ${schemaVersion}; run workers and the submitter from the same nntk version`,
    );
  }
  if (typeof data.sweepId !== 'string' || !/^[0-9a-f]{16}$/.test(data.sweepId)) reject('bad sweepId');
  if (typeof data.index !== 'number' || !Number.isInteger(data.index) || data.index < 0) reject('bad index');
  if (typeof data.name !== 'string' || !NAME.test(data.name) || data.name.includes('..')) {
    reject(`bad run name ${JSON.stringify(data.name)}`);
  }
  if (!isRecord(data.config)) reject('config is not an object');
  if (!isRecord(data.overrides)) reject('overrides is not an object');
  for (const key of Object.keys(data.overrides)) assertSafeKeyPath(key, 'queue job override');
  if (typeof data.monitor !== 'string' || data.monitor.length === 0) reject('bad monitor');
  if (data.mode !== 'min' && data.mode !== 'max') reject('mode must be min or max');
  if (data.seed !== undefined && (typeof data.seed !== 'number' || !Number.isInteger(data.seed)))
    reject('bad seed');
  if (data.pruner !== undefined && !isRecord(data.pruner)) reject('bad pruner');
  return {
    format: data.format,
    schemaVersion: data.schemaVersion,
    sweepId: data.sweepId,
    index: data.index,
    name: data.name,
    overrides: data.overrides,
    ...(data.seed === undefined ? {} : { seed: data.seed }),
    config: data.config,
    monitor: data.monitor,
    mode: data.mode,
    ...(data.pruner ? { pruner: data.pruner as PrunerSpec } : {}),
  };
}

/** Redis hash holding every trial's per-epoch objective values, for pruning across workers. */
export function curvesKey(sweepId: string): string {
  return `nntk:sweep:${sweepId}:curves`;
}
