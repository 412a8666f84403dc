import { join } from 'node:path';
import { seed, useBackend } from '@nntk/core';
import { cifar10, DataLoader, type Dataset, type Example, transforms } from '@nntk/datasets';
import { crossEntropy, VGG } from '@nntk/layers';
import { AdamW } from '@nntk/optim';
import { writeReport } from '@nntk/runs';
import { OneCycleLR } from '@nntk/schedulers';
import { ProgressBar, Trainer } from '@nntk/trainer';
import {
  type ExampleArgs,
  fashionMnistSplits,
  markdownTable,
  saveResults,
  secondsSince,
  useLocalDataIfPresent,
} from '@nntk-examples/kit';
import { type AugmentMode, policyTransform } from './augment-option';

interface Task {
  name: string;
  train: Dataset<Example>;
  test: Dataset<Example>;
  inChannels: number;
  size: [number, number];
  flip: boolean;
}

async function cifarIfPresent(quick: boolean): Promise<Task | undefined> {
  useLocalDataIfPresent();
  try {
    const [train, test] = await Promise.all([cifar10({ split: 'train' }), cifar10({ split: 'test' })]);
    return { name: 'CIFAR-10', train, test, inChannels: 3, size: [32, 32], flip: true };
  } catch {
    if (!quick)
      process.stderr.write('CIFAR-10 files not found (set NNTK_DATA_DIR or pass download); skipping it\n');
    return undefined;
  }
}

/** Trains the VGG-style net on one task; returns per-epoch test accuracy. */
async function trainOn(task: Task, epochs: number, outDir: string, augmentMode: AugmentMode) {
  seed(0);
  const model = new VGG({
    config: [32, 'M', 64, 'M'],
    inChannels: task.inChannels,
    inputSize: task.size,
    batchNorm: true,
    hidden: [128],
    dropout: 0.25,
  });
  // Augmentation: random 28×28 (or 32×32) crops of the 4-pixel zero-padded image, and horizontal flips
  // (clothes and CIFAR objects are left-right symmetric; digits would not be).
  const augment = transforms.compose(
    transforms.randomCrop(task.size, { padding: 4 }),
    ...(task.flip ? [transforms.randomHorizontalFlip()] : []),
    ...policyTransform(augmentMode),
  );
  const trainLoader = new DataLoader(task.train, {
    batchSize: 64,
    shuffle: true,
    seed: 0,
    transform: augment,
  });
  const optimizer = new AdamW(model.parameters(), { lr: 3e-3, weightDecay: 5e-4 });
  const runDir = join(
    outDir,
    'runs',
    task.name.toLowerCase() + (augmentMode === 'none' ? '' : `-${augmentMode}`),
  );
  const trainer = new Trainer({
    model,
    optimizer,
    scheduler: new OneCycleLR(optimizer, { maxLr: 3e-3, epochs, stepsPerEpoch: trainLoader.length }),
    schedulerInterval: 'step',
    loss: crossEntropy,
    metrics: ['accuracy'],
    callbacks: [new ProgressBar({ totalEpochs: epochs })],
    runDir,
    seed: 0,
  });
  const t0 = performance.now();
  const history = await trainer.fit(trainLoader, {
    epochs,
    valLoader: new DataLoader(task.test, { batchSize: 500 }),
  });
  model.dispose();
  return {
    task: task.name,
    runDir,
    accuracy: history.epochs.map((e) => e.val_accuracy),
    samplesPerSecond: history.epochs.map((e) => e.samplesPerSecond),
    seconds: secondsSince(t0),
  };
}

/** `--short`: the setting the augmentation comparison uses (the same for every `--augment` mode). */
export const SHORT = { train: 10000, test: 2000, epochs: 3 };

/**
 * A small VGG-style CNN (3×3 convolutions of 32 and 64 channels with BatchNorm, max pools, a dropout classifier)
 * with random-crop and flip augmentation, AdamW and OneCycle, on the wasm backend (nntk's conv and
 * max-pool gradient kernels); Fashion-MNIST, and CIFAR-10 when its files are present. `augment` adds a
 * policy augmentation after the crop and flip (`--augment trivial|rand|auto`); `short` trains on the first
 * 10,000 images for 3 epochs and tests on the first 2,000 ({@link SHORT}).
 */
export async function runStudy({
  quick,
  outDir,
  augment = 'none',
  short = false,
  epochs: epochsOverride,
}: ExampleArgs & { augment?: AugmentMode; short?: boolean; epochs?: number }) {
  const started = performance.now();
  await useBackend('wasm');
  const limits = quick ? { train: 3000, test: 500 } : short ? SHORT : {};
  const fashion = await fashionMnistSplits(limits);
  const tasks: Task[] = [{ name: 'Fashion-MNIST', ...fashion, inChannels: 1, size: [28, 28], flip: true }];
  const cifar = quick || short ? undefined : await cifarIfPresent(quick);
  if (cifar) tasks.push(cifar);
  const epochs = epochsOverride ?? (quick ? 1 : short ? SHORT.epochs : 8);
  const runs = [];
  for (const task of tasks) runs.push(await trainOn(task, epochs, outDir, augment));
  const report = await writeReport(
    runs.map((r) => r.runDir),
    join(outDir, 'report'),
    { title: 'VGG-style CNN on wasm' },
  );
  const table = markdownTable(
    ['data set', ...runs[0].accuracy.map((_, i) => `epoch ${i + 1}`), 'samples/s', 'seconds'],
    runs.map((r) => [
      r.task,
      ...r.accuracy.map((a) => `${(100 * a).toFixed(2)}%`),
      Math.round(r.samplesPerSecond.at(-1) ?? 0),
      r.seconds.toFixed(0),
    ]),
  );
  const results = {
    quick,
    short,
    augment,
    epochs,
    runs,
    finalAccuracy: runs[0].accuracy.at(-1) ?? 0,
    seconds: secondsSince(started),
    plots: report.svgs,
  };
  await saveResults(outDir, results, table);
  return results;
}
