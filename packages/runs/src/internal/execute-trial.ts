import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@nntk/core/node';
import { type Logs, lastCheckpointDirectory, runPath } from '@nntk/trainer';
import type { TrialCurve, TrialPruner } from '../trial-pruner';
import { type CurveStore, decideEpoch } from './ordered-pruning';
import type { Overrides } from './sweep-space';
import { bestOf, type SweepRow } from './sweep-summary';
import type { TrialResult } from './trial-job';
import { readEpochLogs, runTrialProcess } from './trial-process';

/** One run of a sweep, as handed to the runner. */
export interface SweepRun {
  name: string;
  dir: string;
  /** `<dir>/config.json`. */
  configPath: string;
  config: Record<string, unknown>;
  /** True when an interrupted earlier attempt left `checkpoints/last` to continue from. */
  resume: boolean;
}

export type { CurveStore } from './ordered-pruning';

export interface TrialSpec {
  name: string;
  /** The trial's index in the sweep (pruning decisions compare it with the earlier trials). */
  index: number;
  overrides: Overrides;
  seed?: number;
  /** The run directory; the config's `runDir` is set to it. */
  dir: string;
  config: Record<string, unknown>;
  argv: (run: SweepRun) => string[];
  monitor: string;
  mode: 'min' | 'max';
  pruner?: TrialPruner;
  curves?: CurveStore;
  signal?: AbortSignal;
}

/** The epochs a run config asks for (`trainer.epochs` as for `nntk train`, else `epochs`), if any. */
export function plannedEpochs(config: Record<string, unknown>): number | undefined {
  const trainer = config.trainer as Record<string, unknown> | undefined;
  const epochs = typeof trainer?.epochs === 'number' ? trainer.epochs : config.epochs;
  return typeof epochs === 'number' && Number.isFinite(epochs) ? epochs : undefined;
}

function monitored(logs: Logs[], monitor: string): number[] {
  return logs.map((l) => (typeof l[monitor] === 'number' ? (l[monitor] as number) : Number.NaN));
}

/** Runs one trial in its own process, prunes it when asked, and returns its row and metrics history. */
export async function executeTrial(spec: TrialSpec): Promise<TrialResult & { code: number }> {
  await mkdir(spec.dir, { recursive: true });
  const config = { ...spec.config, runDir: spec.dir };
  const configPath = runPath(spec.dir, 'config');
  const resume = existsSync(lastCheckpointDirectory(spec.dir));
  if (!resume) {
    // A fresh start: metrics from an earlier attempt without a checkpoint are stale.
    await rm(runPath(spec.dir, 'metrics'), { force: true });
    await writeFileAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`);
  }
  const run: SweepRun = { name: spec.name, dir: spec.dir, configPath, config, resume };
  const curve = (logs: Logs[], status: TrialCurve['status']): TrialCurve => ({
    run: spec.name,
    index: spec.index,
    values: monitored(logs, spec.monitor),
    status,
    // An interrupted trial's last epoch may not have been judged yet: it is judged when it resumes.
    passed: status === 'interrupted' ? Math.max(0, logs.length - 1) : logs.length,
  });
  const lastEpoch = plannedEpochs(config);
  const store = spec.curves;
  // The last epoch is never pruned (decideEpoch): it is done, stopping it saves nothing.
  const onEpoch = store
    ? (logs: Logs[]) =>
        decideEpoch({
          index: spec.index,
          run: spec.name,
          values: monitored(logs, spec.monitor),
          lastEpoch,
          pruner: spec.pruner,
          mode: spec.mode,
          store,
          signal: spec.signal,
        })
    : undefined;
  // A resumed trial's epochs so far are judged again first (the same answers): one pruned before its
  // worker died stays pruned and does not train on.
  let prunedBefore: number | undefined;
  if (resume && onEpoch) {
    const earlier = await readEpochLogs(spec.dir);
    for (let n = 1; n <= earlier.length && prunedBefore === undefined; n++)
      if (await onEpoch(earlier.slice(0, n))) prunedBefore = n;
  }
  const outcome =
    prunedBefore === undefined
      ? await runTrialProcess(spec.argv(run), { dir: spec.dir, signal: spec.signal, onEpoch })
      : { code: 0, prunedAt: prunedBefore, stderr: '' };
  if ('error' in outcome && outcome.error !== undefined) throw outcome.error;
  const all = await readEpochLogs(spec.dir);
  const logs = outcome.prunedAt === undefined ? all : all.slice(0, outcome.prunedAt);
  const status: SweepRow['status'] =
    outcome.prunedAt !== undefined
      ? 'pruned'
      : outcome.code === 0
        ? 'completed'
        : outcome.code === 130 || spec.signal?.aborted
          ? 'interrupted'
          : 'failed';
  if (status === 'failed') {
    await writeFileAtomic(join(spec.dir, 'error.log'), outcome.stderr || `exit ${outcome.code}`).catch(
      () => {},
    );
  }
  await spec.curves?.set(curve(logs, status));
  const row: SweepRow = {
    run: spec.name,
    status,
    overrides: spec.overrides,
    ...(spec.seed === undefined ? {} : { seed: spec.seed }),
    ...bestOf(logs, spec.monitor, spec.mode),
    epochs: logs.length,
    final: logs.at(-1) ?? {},
    ...(status === 'failed' ? { error: lastLines(outcome.stderr) || `exit ${outcome.code}` } : {}),
  };
  return { row, logs, code: outcome.code };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n');
}
