import { join } from 'node:path';
import { useBackend } from '@nntk/core';
import { AdamW, toTfjsOptimizer } from '@nntk/optim';
import { schedules } from '@nntk/schedulers';
import {
  datasetArrays,
  type ExampleArgs,
  fashionMnistSplits,
  markdownTable,
  saveResults,
  secondsSince,
  writeLineChart,
} from '@nntk-examples/kit';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

function model(): tfl.Sequential {
  const net = tfl.sequential();
  net.add(
    tfl.layers.dense({
      inputShape: [784],
      units: 128,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  net.add(
    tfl.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
    }),
  );
  return net;
}

async function arrays(data: Parameters<typeof datasetArrays>[0]) {
  const { x, y, n } = await datasetArrays(data);
  return { x: tf.tensor2d(x, [n, 784]), y: tf.oneHot(tf.tensor1d(y, 'int32'), 10).toFloat() };
}

/** Test accuracy after each epoch, one line per optimiser. */
export async function writePlots(results: { rows: { name: string; accuracy: number[] }[] }, outDir: string) {
  const points = results.rows.flatMap((r) =>
    r.accuracy.map((a, i) => ({ x: i + 1, y: 100 * a, series: r.name.split(' (')[0] })),
  );
  return [
    await writeLineChart(join(outDir, 'test-accuracy.svg'), 'model.fit: test accuracy by optimiser', points, {
      x: 'epoch',
      y: 'test accuracy (%)',
    }),
  ];
}

/**
 * A tfjs-layers model trained by its own `model.fit`, twice: with tfjs's Adam, and with nntk's AdamW
 * (decoupled weight decay), a warm-up + cosine schedule and clipping by global norm through
 * `toTfjsOptimizer`. Nothing else changes: same model, initial weights, data, batches and epochs.
 */
export async function runStudy({ quick, outDir }: ExampleArgs) {
  const started = performance.now();
  await useBackend('wasm');
  const splits = await fashionMnistSplits(quick ? { train: 4000, test: 1000 } : {});
  const train = await arrays(splits.train);
  const test = await arrays(splits.test);
  const epochs = quick ? 2 : 5;
  const batchSize = 128;
  const totalSteps = epochs * Math.ceil(splits.train.length / batchSize);
  const contenders: [string, () => tf.Optimizer][] = [
    ['tf.train.adam(1e-3)', () => tf.train.adam(1e-3)],
    [
      'nntk AdamW (wd 0.01) + warm-up/cosine (peak 3e-3) + clipGradNorm 5',
      () =>
        toTfjsOptimizer(
          (params) =>
            new AdamW(params, {
              lr: schedules.warmupCosine(3e-4, 3e-3, Math.floor(totalSteps / 10), totalSteps),
              weightDecay: 0.01,
            }),
          { clipGradNorm: 5 },
        ),
    ],
  ];
  const rows = [];
  for (const [name, optimizer] of contenders) {
    const net = model();
    net.compile({ optimizer: optimizer(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const t0 = performance.now();
    const history = await net.fit(train.x, train.y, {
      epochs,
      batchSize,
      shuffle: true,
      validationData: [test.x, test.y],
      verbose: 0,
      callbacks: {
        onEpochEnd: (epoch, logs) =>
          void process.stdout.write(`${name}: epoch ${epoch + 1} val_acc ${logs?.val_acc?.toFixed(4)}\n`),
      },
    });
    const accuracy = history.history.val_acc as number[];
    rows.push({
      name,
      accuracy,
      finalAccuracy: accuracy.at(-1) ?? 0,
      finalLoss: (history.history.val_loss as number[]).at(-1) ?? 0,
      seconds: secondsSince(t0),
    });
    net.dispose();
  }
  tf.dispose([train.x, train.y, test.x, test.y]);
  const table = markdownTable(
    ['optimizer in model.fit', ...rows[0].accuracy.map((_, i) => `epoch ${i + 1}`), 'test loss', 'seconds'],
    rows.map((r) => [
      r.name,
      ...r.accuracy.map((a) => `${(100 * a).toFixed(2)}%`),
      r.finalLoss,
      r.seconds.toFixed(1),
    ]),
  );
  const plots = await writePlots({ rows }, outDir);
  const results = { quick, plots, epochs, rows, seconds: secondsSince(started) };
  await saveResults(outDir, results, table);
  return results;
}
