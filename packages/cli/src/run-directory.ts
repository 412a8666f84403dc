import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NntkError } from '@nntk/core';
import { lastCheckpointDirectory, previousCheckpointDirectory, RUN_FILES, runPath } from '@nntk/trainer';

/** What a training run writes into its directory (and all that `--overwrite` removes). */
const RUN_ARTEFACTS = [
  RUN_FILES.config,
  RUN_FILES.metrics,
  RUN_FILES.checkpoints,
  RUN_FILES.confusionMatrix,
  RUN_FILES.report,
];

/** The run artefacts already in `runDir`. */
export function existingRunArtefacts(runDir: string): string[] {
  return RUN_ARTEFACTS.filter((name) => existsSync(join(runDir, name)));
}

/**
 * True when `runDir` holds results worth keeping: a checkpoint, a logged epoch or a report (a config
 * alone, as a sweep writes it, or a run killed before its first epoch ended, is not one).
 */
export function holdsRun(runDir: string): boolean {
  const metrics = runPath(runDir, 'metrics');
  return (
    existsSync(runPath(runDir, 'checkpoints')) ||
    existsSync(runPath(runDir, 'report')) ||
    (existsSync(metrics) && statSync(metrics).size > 0)
  );
}

/**
 * Refuses to train into a directory that already holds a run unless asked: `--resume` continues it,
 * `--overwrite` replaces it. Raises a `USAGE` NntkError (exit code 2) before anything is written.
 */
export function checkRunDirectory(runDir: string, flags: { resume?: boolean; overwrite?: boolean }): void {
  if (flags.resume && flags.overwrite)
    throw new NntkError('USAGE', 'give --resume (continue the run) or --overwrite (replace it), not both');
  if (flags.resume || flags.overwrite) return;
  const found = existingRunArtefacts(runDir);
  if (holdsRun(runDir))
    throw new NntkError(
      'USAGE',
      `${runDir} already holds a run (${found.join(', ')}); continue it with --resume, replace it with --overwrite, or choose another runDir (--runDir runs/<name>)`,
    );
}

/** Removes the run artefacts of an earlier run (for `--overwrite`); other files in the directory stay. */
export async function clearRunDirectory(runDir: string): Promise<void> {
  for (const name of existingRunArtefacts(runDir))
    await rm(join(runDir, name), { recursive: true, force: true });
}

/** True when `runDir` has a checkpoint to resume (`checkpoints/last`, or the `.previous` a killed switch left). */
export function hasCheckpoint(runDir: string): boolean {
  const last = lastCheckpointDirectory(runDir);
  return (
    existsSync(join(last, 'state.json')) || existsSync(join(previousCheckpointDirectory(last), 'state.json'))
  );
}
