import { buildRun } from '../build-run';
import { applyOverrides, readConfigFile, validateConfig } from '../config';
import { runTraining } from '../run-training';

export const trainHelp = `Usage: nntk train <config.json|config.yaml> [--resume] [--<key.path> <value> ...]

Trains the model a config describes (backend, seed, data, model, optimizer, scheduler, trainer,
callbacks, runDir), writes the run directory (config.json, metrics.jsonl, checkpoints/last,
confusion-matrix.json, report/index.html) and prints where the report is.

Options:
  --resume            continue from <runDir>/checkpoints/last when it exists
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
  const run = await buildRun(config);
  const outcome = await runTraining(run, config, { resume: args.flags.has('resume') });
  if (outcome.interrupted) {
    process.stderr.write(
      `checkpoint saved in ${config.runDir}/checkpoints/last; continue with: nntk train ${file} --resume\n`,
    );
    return 130;
  }
  process.stdout.write(`report: ${outcome.report}\n`);
  return 0;
}
