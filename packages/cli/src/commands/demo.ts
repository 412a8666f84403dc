import { join } from 'node:path';
import { buildRun } from '../build-run';
import { validateConfig } from '../config';
import { runTraining } from '../run-training';

export const demoHelp = `Usage: nntk demo [--epochs N] [--backend cpu|wasm] [--out DIR]

Trains a real model (an MLP with BatchNorm, AdamW and a OneCycle schedule) on the Fashion-MNIST subset
shipped inside @nntk/datasets (6,000 training and 1,000 test images, no download), with a progress bar,
then writes the report (loss, accuracy, learning rate, confusion matrix) and prints where it is.

Examples:
  nntk demo
  nntk demo --epochs 3 --backend cpu`;

export async function demo(args: { options: Record<string, string> }): Promise<number> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const config = validateConfig({
    backend: args.options.backend ?? 'wasm',
    seed: 0,
    data: { name: 'embedded-fashion-mnist', batchSize: 64 },
    model: { name: 'mlp', sizes: [784, 256, 128, 10], batchNorm: true, dropout: 0.2 },
    optimizer: { name: 'adamw', lr: 3e-3, weightDecay: 1e-4 },
    scheduler: { name: 'onecycle', interval: 'step' },
    trainer: { epochs: Number(args.options.epochs ?? 8) },
    runDir: args.options.out ?? join('runs', `demo-${stamp}`),
  });
  process.stderr.write(
    `nntk demo: Fashion-MNIST (embedded subset), MLP 784-256-128-10 with BatchNorm, AdamW + OneCycle, ${config.trainer.epochs} epochs\n`,
  );
  const started = Date.now();
  const run = await buildRun(config);
  const outcome = await runTraining(run, config);
  if (outcome.interrupted) return 130;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const accuracy = ((outcome.finalLogs.val_accuracy ?? 0) * 100).toFixed(1);
  process.stdout.write(
    `\ntest accuracy ${accuracy}% after ${config.trainer.epochs} epochs in ${seconds}s\nrun directory: ${config.runDir}\nreport: ${outcome.report}\n`,
  );
  return 0;
}
