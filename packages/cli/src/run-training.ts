import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NntkError } from '@nntk/core';
import { writeReport } from '@nntk/runs';
import { lastCheckpointDirectory, runPath } from '@nntk/trainer';
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

function reportResume(run: BuiltRun): void {
  const from = run.trainer.resumedFrom;
  if (!from) return;
  for (const skipped of from.skipped)
    process.stderr.write(`skipped checkpoint ${skipped.directory}: ${skipped.reason}\n`);
  const where =
    from.batch > 0 ? `epoch ${from.epoch + 1}, batch ${from.batch + 1}` : `epoch ${from.epoch + 1}`;
  process.stderr.write(`resumed from ${from.directory} (continuing at ${where})\n`);
}

/**
 * Fits, then writes the confusion matrix and the report. Ctrl-C stops at the end of the current batch,
 * the trainer saves the interrupted epoch (resumable with --resume, bit-exactly) and this returns
 * `interrupted`. A NaN/Inf stop raises `NON_FINITE` (checkpoints/last keeps the last finite state).
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
  try {
    await run.trainer.fit(run.trainLoader, {
      epochs: config.trainer.epochs,
      valLoader: run.valLoader,
      resumeFrom: options.resume ? 'last' : undefined,
    });
    reportResume(run);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const stop = run.trainer.stoppedOnNonFinite;
  if (stop) {
    const kept = existsSync(join(lastCheckpointDirectory(config.runDir), 'state.json'))
      ? `${lastCheckpointDirectory(config.runDir)} still holds the last finite state`
      : 'no checkpoint was written';
    throw new NntkError(
      'NON_FINITE',
      `training stopped at step ${stop.globalStep + 1} (epoch ${stop.epoch + 1}): ${stop.what}; ${kept}. Lower optimizer.lr, set trainer.gradClip, or set trainer.nonFinite to 'skip'`,
    );
  }
  if (interrupted) {
    // The trainer saved the interrupted epoch (or the finished one) in checkpoints/last.
    return { interrupted, report: '', finalLogs: run.trainer.history.epochs.at(-1) ?? {} };
  }
  const test = await writeHeldOutResults(run, config);
  const report = await writeReport([config.runDir], runPath(config.runDir, 'report'));
  return { interrupted, report: report.html, finalLogs: run.trainer.history.epochs.at(-1) ?? {}, test };
}
