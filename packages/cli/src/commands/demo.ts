import { join } from 'node:path';
import { buildRun } from '../build-run';
import type { ParsedArgs } from '../command';
import { validateConfig } from '../config';
import { numberFlag } from '../parse-args';
import { runTraining } from '../run-training';

export const demoHelp = `Usage: nntk demo [--epochs N] [--backend cpu|wasm|webgpu] [--out DIR]

Trains a real model (an MLP with BatchNorm, AdamW and a OneCycle schedule) on the Fashion-MNIST subset
shipped inside @nntk/datasets (6,000 training and 1,000 test images, no download), with a progress bar:
5,400 images train, 600 held out of the training set validate every epoch, and the 1,000 test images
are evaluated once at the end and reported apart. Then writes the report (loss and accuracy per epoch,
loss and learning rate per step, confusion matrix, config) and prints where it is.

Options:
  --epochs N          epochs to train (default 8)
  --backend NAME      cpu, wasm or webgpu (default NNTK_BACKEND, else wasm)
  --out DIR           the run directory (default runs/demo-<date>)

Examples:
  nntk demo
  nntk demo --epochs 3 --backend cpu`;

export async function demo(args: ParsedArgs): Promise<number> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const config = validateConfig({
    backend: args.options.backend ?? process.env.NNTK_BACKEND ?? 'wasm',
    seed: 0,
    data: { name: 'embedded-fashion-mnist', batchSize: 64, valSplit: 0.1 },
    model: { name: 'mlp', sizes: [784, 256, 128, 10], batchNorm: true, dropout: 0.2 },
    optimizer: { name: 'adamw', lr: 3e-3, weightDecay: 1e-4 },
    scheduler: { name: 'onecycle', interval: 'step' },
    trainer: { epochs: numberFlag(args, 'epochs', 8, 'positive integer') },
    runDir: args.options.out ?? join('runs', `demo-${stamp}`),
  });
  process.stderr.write(
    `Fashion-MNIST (embedded subset: 5,400 train, 600 validation, 1,000 test), MLP 784-256-128-10 with BatchNorm, AdamW + OneCycle, ${config.trainer.epochs} epochs\n`,
  );
  const started = Date.now();
  const run = await buildRun(config);
  const outcome = await runTraining(run, config);
  if (outcome.interrupted) return 130;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const percent = (v: number | undefined) => `${((v ?? 0) * 100).toFixed(1)}%`;
  process.stdout.write(
    `\ntest accuracy ${percent(outcome.test?.accuracy)} (validation ${percent(outcome.finalLogs.val_accuracy)}) after ${outcome.finalLogs.epoch + 1} epochs in ${seconds}s\nrun directory: ${config.runDir}\nreport: ${outcome.report}\n`,
  );
  return 0;
}
