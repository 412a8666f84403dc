import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seed, useBackend, valueAndGrads } from '@nntk/core';
import { type Batch, DataLoader } from '@nntk/datasets';
import {
  BatchNorm2d,
  Conv2d,
  crossEntropy,
  Flatten,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
} from '@nntk/layers';
import { SGD } from '@nntk/optim';
import { renderVegaLite, writeReport } from '@nntk/runs';
import { lrRangeTest, OneCycleLR } from '@nntk/schedulers';
import { ProgressBar, Trainer } from '@nntk/trainer';
import {
  type ExampleArgs,
  fashionMnistSplits,
  markdownTable,
  saveResults,
  secondsSince,
} from '@nntk-examples/kit';
import * as tf from '@tensorflow/tfjs-core';

function cnn(): Sequential {
  return new Sequential(
    new Conv2d(1, 16, 3, { padding: 1 }),
    new BatchNorm2d(16),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(16, 32, 3, { padding: 1 }),
    new BatchNorm2d(32),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(32 * 7 * 7, 10),
  );
}

/** Endless batches from a loader (a new shuffle each pass). */
async function* forever(loader: AsyncIterable<Batch>): AsyncGenerator<Batch> {
  for (;;) for await (const batch of loader) yield batch;
}

/**
 * The LR range test (Smith 2017; fastai's lr_find) on a small CNN for Fashion-MNIST: SGD with momentum,
 * the learning rate growing exponentially from 1e-5 to 10 over 100 batches, the smoothed loss curve, the
 * suggested rate (steepest descent), then a OneCycle run (Smith and Topin 2018) peaking at that rate from
 * the same initial weights.
 */
export async function runStudy({ quick, outDir }: ExampleArgs) {
  const started = performance.now();
  await useBackend('wasm');
  const { train, test } = await fashionMnistSplits(quick ? { train: 2000, test: 500 } : { train: 30000 });
  seed(0);
  const model = cnn();
  const initial = Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [k, v.clone()]));
  const optimizer = new SGD(model.parameters(), { lr: 1e-5, momentum: 0.9 });
  const batches = forever(new DataLoader(train, { batchSize: 64, shuffle: true, seed: 1 }));
  const range = await lrRangeTest({
    startLr: 1e-5,
    endLr: 10,
    numIter: quick ? 40 : 100,
    step: async (lr) => {
      optimizer.paramGroups[0].lr = lr;
      const { value: batch } = await batches.next();
      const { value, grads } = valueAndGrads(
        () => crossEntropy(model.forward(batch.x), batch.y) as tf.Scalar,
        model.parameters(),
      );
      optimizer.step(grads);
      const loss = value.dataSync()[0];
      tf.dispose([value, ...grads.values(), batch.x, batch.y]);
      return loss;
    },
  });
  await batches.return(undefined);
  const suggested = range.suggestedLr;
  process.stdout.write(
    `suggested lr: ${suggested.toExponential(2)} (range test of ${range.lrs.length} steps${range.diverged ? ', stopped at divergence' : ''})\n`,
  );
  const svg = await renderVegaLite({
    title: `LR range test: suggested lr ${suggested.toExponential(2)}`,
    width: 460,
    height: 260,
    layer: [
      {
        data: { values: range.lrs.map((lr, i) => ({ lr, loss: range.losses[i] })) },
        mark: 'line',
        encoding: {
          x: { field: 'lr', type: 'quantitative', scale: { type: 'log' }, title: 'learning rate' },
          y: { field: 'loss', type: 'quantitative', title: 'smoothed loss' },
        },
      },
      {
        data: { values: [{ lr: suggested }] },
        mark: { type: 'rule', color: 'firebrick' },
        encoding: { x: { field: 'lr', type: 'quantitative' } },
      },
    ],
  });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'lr-range-test.svg'), svg);

  model.loadStateDict(initial);
  tf.dispose(Object.values(initial));
  optimizer.dispose();
  const epochs = quick ? 1 : 2;
  const trainLoader = new DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 });
  const oneCycleOptimizer = new SGD(model.parameters(), { lr: suggested, momentum: 0.9 });
  const trainer = new Trainer({
    model,
    optimizer: oneCycleOptimizer,
    scheduler: new OneCycleLR(oneCycleOptimizer, {
      maxLr: suggested,
      epochs,
      stepsPerEpoch: trainLoader.length,
    }),
    schedulerInterval: 'step',
    loss: crossEntropy,
    metrics: ['accuracy'],
    callbacks: [new ProgressBar({ totalEpochs: epochs })],
    runDir: join(outDir, 'runs', 'one-cycle'),
    seed: 0,
  });
  const history = await trainer.fit(trainLoader, {
    epochs,
    valLoader: new DataLoader(test, { batchSize: 500 }),
  });
  const report = await writeReport([join(outDir, 'runs', 'one-cycle')], join(outDir, 'report'));
  const table = markdownTable(
    ['epoch', 'lr at epoch end', 'train loss', 'test loss', 'test accuracy'],
    history.epochs.map((e, i) => [i + 1, e.lr, e.loss, e.val_loss, `${(100 * e.val_accuracy).toFixed(2)}%`]),
  );
  const results = {
    quick,
    suggestedLr: suggested,
    rangeTest: range,
    epochs: history.epochs,
    finalAccuracy: history.epochs.at(-1)?.val_accuracy ?? 0,
    seconds: secondsSince(started),
    plots: [join(outDir, 'lr-range-test.svg'), ...report.svgs],
  };
  await saveResults(outDir, results, `Suggested lr: ${suggested.toExponential(2)}\n\n${table}`);
  model.dispose();
  return results;
}
