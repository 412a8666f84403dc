import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { lastCheckpointDirectory, writeReport } from '@nntk/trainer';
import type { BuiltRun } from './build-run';
import type { RunConfig } from './config';
import { writeHeldOutResults } from './held-out-results';

export interface RunOutcome {
  interrupted: boolean;
  report: string;
  finalLogs: Record<string, number>;
  /** Metrics on the held-out test split (runs with `data.valSplit`). */
  test?: Record<string, number>;
}

/**
 * Fits, then writes the confusion matrix and the report. Ctrl-C stops at the end of the current batch,
 * saves a checkpoint (resumable with --resume) and returns `interrupted`.
 */
export async function runTraining(
  run: BuiltRun,
  config: RunConfig,
  options: { resume?: boolean } = {},
): Promise<RunOutcome> {
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    run.trainer.stopTraining = true;
    process.stderr.write('\ninterrupted: finishing the current batch and saving a checkpoint…\n');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const resumeFrom =
    options.resume && existsSync(join(lastCheckpointDirectory(config.runDir), 'state.json'))
      ? 'last'
      : undefined;
  try {
    await run.trainer.fit(run.trainLoader, {
      epochs: config.trainer.epochs,
      valLoader: run.valLoader,
      resumeFrom,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (interrupted) {
    await run.trainer.saveCheckpoint(lastCheckpointDirectory(config.runDir));
    return { interrupted, report: '', finalLogs: run.trainer.history.epochs.at(-1) ?? {} };
  }
  const test = await writeHeldOutResults(run, config);
  const report = await writeReport([config.runDir], join(config.runDir, 'report'));
  return { interrupted, report: report.html, finalLogs: run.trainer.history.epochs.at(-1) ?? {}, test };
}
