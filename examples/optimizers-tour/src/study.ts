import { join } from 'node:path';
import { type Module, seed, useBackend } from '@nntk/core';
import { DataLoader } from '@nntk/datasets';
import { crossEntropy, Flatten, MLP, Sequential } from '@nntk/layers';
import { Adam, AdamW, NAdam, type Optimizer, RMSprop, SGD } from '@nntk/optim';
import { writeReport } from '@nntk/runs';
import {
  CosineAnnealingLR,
  LinearLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
} from '@nntk/schedulers';
import { ProgressBar, Trainer, type TrainerScheduler } from '@nntk/trainer';
import {
  type ExampleArgs,
  fashionMnistSplits,
  markdownTable,
  saveResults,
  secondsSince,
} from '@nntk-examples/kit';

interface Recipe {
  name: string;
  scheduler: string;
  interval: 'epoch' | 'step';
  build(
    model: Module,
    epochs: number,
    stepsPerEpoch: number,
  ): { optimizer: Optimizer; scheduler: TrainerScheduler };
}

/** Linear warm-up over the first epoch, then cosine annealing to 0 (per step). */
function warmupCosine(optimizer: Optimizer, epochs: number, stepsPerEpoch: number): TrainerScheduler {
  const warm = stepsPerEpoch;
  return new SequentialLR(optimizer, {
    schedulers: [
      new LinearLR(optimizer, { startFactor: 0.1, totalIters: warm }),
      new CosineAnnealingLR(optimizer, { tMax: epochs * stepsPerEpoch - warm }),
    ],
    milestones: [warm],
  });
}

const RECIPES: Recipe[] = [
  {
    name: 'SGD (lr 0.1)',
    scheduler: 'StepLR (×0.5 every 2 epochs)',
    interval: 'epoch',
    build: (m) => {
      const optimizer = new SGD(m.parameters(), { lr: 0.1 });
      return { optimizer, scheduler: new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }) };
    },
  },
  {
    name: 'SGD + momentum 0.9 (lr 0.05, nesterov)',
    scheduler: 'warm-up 1 epoch + cosine',
    interval: 'step',
    build: (m, epochs, steps) => {
      const optimizer = new SGD(m.parameters(), { lr: 0.05, momentum: 0.9, nesterov: true });
      return { optimizer, scheduler: warmupCosine(optimizer, epochs, steps) };
    },
  },
  {
    name: 'Adam (lr 1e-3)',
    scheduler: 'ReduceLROnPlateau (val_loss, ×0.5, patience 1)',
    interval: 'epoch',
    build: (m) => {
      const optimizer = new Adam(m.parameters(), { lr: 1e-3 });
      return { optimizer, scheduler: new ReduceLROnPlateau(optimizer, { factor: 0.5, patience: 1 }) };
    },
  },
  {
    name: 'AdamW (max lr 3e-3, weight decay 0.01)',
    scheduler: 'OneCycleLR',
    interval: 'step',
    build: (m, epochs, stepsPerEpoch) => {
      const optimizer = new AdamW(m.parameters(), { lr: 3e-3, weightDecay: 0.01 });
      return { optimizer, scheduler: new OneCycleLR(optimizer, { maxLr: 3e-3, epochs, stepsPerEpoch }) };
    },
  },
  {
    name: 'RMSprop (lr 1e-3)',
    scheduler: 'CosineAnnealingLR (per epoch)',
    interval: 'epoch',
    build: (m, epochs) => {
      const optimizer = new RMSprop(m.parameters(), { lr: 1e-3 });
      return { optimizer, scheduler: new CosineAnnealingLR(optimizer, { tMax: epochs }) };
    },
  },
  {
    name: 'NAdam (lr 2e-3)',
    scheduler: 'warm-up 1 epoch + cosine',
    interval: 'step',
    build: (m, epochs, steps) => {
      const optimizer = new NAdam(m.parameters(), { lr: 2e-3 });
      return { optimizer, scheduler: warmupCosine(optimizer, epochs, steps) };
    },
  },
];

/** One task (Fashion-MNIST, MLP 784-128-10, batch 128), six optimisers each with a fitting scheduler. */
export async function runStudy({ quick, outDir }: ExampleArgs) {
  const started = performance.now();
  await useBackend('wasm');
  const { train, test } = await fashionMnistSplits(quick ? { train: 5000, test: 1000 } : {});
  const epochs = quick ? 2 : 5;
  const rows = [];
  const runDirs: string[] = [];
  for (const [i, recipe] of RECIPES.entries()) {
    seed(0);
    const model = new Sequential(new Flatten(), new MLP({ sizes: [784, 128, 10] }));
    const trainLoader = new DataLoader(train, { batchSize: 128, shuffle: true, seed: 0 });
    const { optimizer, scheduler } = recipe.build(model, epochs, trainLoader.length);
    const runDir = join(outDir, 'runs', `${i}-${recipe.name.split(' ')[0].toLowerCase()}`);
    runDirs.push(runDir);
    process.stderr.write(`\n${recipe.name} with ${recipe.scheduler}\n`);
    const trainer = new Trainer({
      model,
      optimizer,
      scheduler,
      schedulerInterval: recipe.interval,
      loss: crossEntropy,
      metrics: ['accuracy'],
      callbacks: [new ProgressBar({ totalEpochs: epochs })],
      runDir,
      seed: 0,
    });
    const t0 = performance.now();
    const history = await trainer.fit(trainLoader, {
      epochs,
      valLoader: new DataLoader(test, { batchSize: 1000 }),
    });
    const last = history.epochs.at(-1) ?? {};
    rows.push({
      optimizer: recipe.name,
      scheduler: recipe.scheduler,
      accuracy: history.epochs.map((e) => e.val_accuracy),
      finalAccuracy: last.val_accuracy,
      finalLoss: last.val_loss,
      seconds: secondsSince(t0),
    });
    model.dispose();
    optimizer.dispose();
  }
  const report = await writeReport(runDirs, join(outDir, 'report'), {
    title: 'Optimizers tour: Fashion-MNIST MLP',
  });
  const table = markdownTable(
    ['optimizer', 'scheduler', 'test accuracy', 'test loss', 'seconds'],
    rows.map((r) => [
      r.optimizer,
      r.scheduler,
      `${(100 * r.finalAccuracy).toFixed(2)}%`,
      r.finalLoss,
      r.seconds.toFixed(1),
    ]),
  );
  const results = {
    quick,
    epochs,
    trainSize: train.length,
    rows,
    seconds: secondsSince(started),
    plots: report.svgs,
  };
  await saveResults(outDir, results, table);
  return results;
}
