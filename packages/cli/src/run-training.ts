import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@nntk/core';
import { confusionMatrix } from '@nntk/metrics';
import { lastCheckpointDirectory, writeReport } from '@nntk/trainer';
import type { BuiltRun } from './build-run';
import type { RunConfig } from './config';

export interface RunOutcome {
  interrupted: boolean;
  report: string;
  finalLogs: Record<string, number>;
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
  if (run.data.task === 'classification') {
    const predictions = await run.trainer.predict(run.valLoader);
    const labels = Array.from(
      { length: run.data.val.length },
      (_, i) => (run.data.val.get(i) as { y: number }).y,
    );
    const classes = predictions.shape[predictions.rank - 1];
    const matrix = confusionMatrix(predictions, labels, classes);
    predictions.dispose();
    await writeFileAtomic(
      join(config.runDir, 'confusion-matrix.json'),
      JSON.stringify({ matrix, classNames: run.data.classNames }),
    );
  }
  const report = await writeReport([config.runDir], join(config.runDir, 'report'));
  return { interrupted, report: report.html, finalLogs: run.trainer.history.epochs.at(-1) ?? {} };
}
