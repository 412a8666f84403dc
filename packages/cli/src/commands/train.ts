import { NntkError } from '@nntk/core';
import { buildRun } from '../build-run';
import { applyOverrides, readConfigFile, validateConfig } from '../config';
import { checkRunDirectory, clearRunDirectory, hasCheckpoint, holdsRun } from '../run-directory';
import { runTraining } from '../run-training';

export const trainHelp = `Usage: nntk train <config.json|config.yaml> [--resume] [--<key.path> <value> ...]

Trains the model a config describes (backend, seed, data, model, optimizer, scheduler, trainer,
callbacks, runDir), writes the run directory (config.json, metrics.jsonl, checkpoints/last,
confusion-matrix.json, report/index.html) and prints where the report is. The whole config is
checked (unknown options, model against data, monitors) before anything is written; a NaN or
infinite loss stops the run (exit code 1) without overwriting the last finite checkpoint.

Options:
  --resume            continue the run in <runDir> exactly where it stopped (mid-epoch included);
                      exit code 2 when there is nothing to resume
  --overwrite         replace the run already in <runDir> (without it, an existing run is refused)
  --<key.path> <v>    override a config value, e.g. --optimizer.lr 0.01 --trainer.epochs 3

Examples (configs/ ships in the @nntk/cli package; packages/cli/configs in the repository):
  nntk train configs/fashion-mlp.json
  nntk train run.yaml --optimizer.lr 0.003 --runDir runs/lr-3e-3
  nntk train run.yaml --resume`;

export async function train(args: {
  positional: string[];
  overrides: [string, string][];
  flags: Set<string>;
}): Promise<number> {
  const [file] = args.positional;
  const raw = applyOverrides(await readConfigFile(file), args.overrides);
  const config = validateConfig(raw);
  const resume = args.flags.has('resume');
  const overwrite = args.flags.has('overwrite');
  checkRunDirectory(config.runDir, { resume, overwrite });
  if (resume && !hasCheckpoint(config.runDir))
    throw new NntkError(
      'USAGE',
      `nothing to resume from in ${config.runDir} (no checkpoint was written there); drop --resume to start the run fresh${holdsRun(config.runDir) ? ' (with --overwrite, as the directory holds an earlier run)' : ''}`,
    );
  const run = await buildRun(config);
  if (overwrite) await clearRunDirectory(config.runDir);
  const outcome = await runTraining(run, config, { resume });
  if (outcome.interrupted) {
    process.stderr.write(
      `checkpoint saved in ${config.runDir}/checkpoints/last; continue with: nntk train ${file} --resume\n`,
    );
    return 130;
  }
  process.stdout.write(`report: ${outcome.report}\n`);
  return 0;
}
