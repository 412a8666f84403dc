import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Module, seed, useBackend } from '@nntk/core';
import { DataLoader } from '@nntk/datasets';
import { crossEntropy } from '@nntk/layers';
import { accuracy, confusionMatrix, f1, precision, recall } from '@nntk/metrics';
import { Adam, type Optimizer, RMSprop, SGD } from '@nntk/optim';
import { l2Penalty } from '@nntk/regularizers';
import { writeReport } from '@nntk/runs';
import { ProgressBar, Trainer } from '@nntk/trainer';
import {
  type ExampleArgs,
  fashionMnistSplits,
  markdownTable,
  saveResults,
  secondsSince,
} from '@nntk-examples/kit';
import * as tf from '@tensorflow/tfjs-core';
import { type Activation, FeedForwardNet, type Init } from './feed-forward-net';

const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

type OptimizerName = 'sgd' | 'momentum' | 'rmsprop' | 'adam';

interface Setting {
  activation: Activation;
  init: Init;
  optimizer: OptimizerName;
  l2: number;
}

const BASELINE: Setting = { activation: 'relu', init: 'he', optimizer: 'adam', l2: 1e-4 };

/** The baseline, then one factor changed at a time (the study's grid, without its redundant cells). */
const SETTINGS: [string, Setting][] = [
  ['baseline (ReLU, He, Adam, L2 1e-4)', BASELINE],
  ['activation: sigmoid (Xavier)', { ...BASELINE, activation: 'sigmoid', init: 'xavier' }],
  ['activation: tanh (Xavier)', { ...BASELINE, activation: 'tanh', init: 'xavier' }],
  ['init: random N(0, 0.01²)', { ...BASELINE, init: 'random' }],
  ['init: Xavier', { ...BASELINE, init: 'xavier' }],
  ['optimizer: SGD', { ...BASELINE, optimizer: 'sgd' }],
  ['optimizer: SGD + momentum', { ...BASELINE, optimizer: 'momentum' }],
  ['optimizer: RMSprop', { ...BASELINE, optimizer: 'rmsprop' }],
  ['L2: none', { ...BASELINE, l2: 0 }],
  ['L2: 1e-3', { ...BASELINE, l2: 1e-3 }],
];

function makeOptimizer(name: OptimizerName, model: Module): Optimizer {
  const params = model.parameters();
  if (name === 'sgd') return new SGD(params, { lr: 0.05 });
  if (name === 'momentum') return new SGD(params, { lr: 0.05, momentum: 0.9 });
  if (name === 'rmsprop') return new RMSprop(params, { lr: 1e-3 });
  return new Adam(params, { lr: 1e-3 });
}

/**
 * The classic feed-forward study on Fashion-MNIST with a 784-256-128-10 net: activations, initialisers,
 * optimisers and L2 strength, one at a time from a baseline, with accuracy, macro precision, recall and
 * F1, and the confusion matrix of the best run.
 */
export async function runStudy({ quick, outDir }: ExampleArgs) {
  const started = performance.now();
  await useBackend('wasm');
  const { train, test } = await fashionMnistSplits(quick ? { train: 4000, test: 1000 } : {});
  const epochs = quick ? 1 : 3;
  const settings = quick
    ? SETTINGS.filter(([, s]) => s.optimizer === 'adam' && s.l2 === 1e-4 && s.activation !== 'tanh')
    : SETTINGS;
  const labels = new Int32Array(test.length);
  for (let i = 0; i < test.length; i++) labels[i] = (await test.get(i)).y as number;
  const rows = [];
  for (const [i, [name, setting]] of settings.entries()) {
    seed(0);
    const model = new FeedForwardNet({ sizes: [784, 256, 128, 10], ...setting });
    const optimizer = makeOptimizer(setting.optimizer, model);
    const runDir = join(outDir, 'runs', String(i));
    process.stderr.write(`\n${name}\n`);
    const trainer = new Trainer({
      model,
      optimizer,
      // The L2 penalty (½·λ·‖W‖² on weights only, not biases) is added to the data loss in a custom step.
      trainStep: (batch) => {
        const output = model.forward(batch.x);
        const data = crossEntropy(output, batch.y) as tf.Scalar;
        const penalty = l2Penalty(model.namedParameters(), setting.l2, { filter: /weight/ });
        return { loss: tf.add(data, penalty) as tf.Scalar, output };
      },
      metrics: ['accuracy'],
      callbacks: [new ProgressBar({ totalEpochs: epochs })],
      runDir,
      seed: 0,
    });
    const t0 = performance.now();
    await trainer.fit(new DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 }), { epochs });
    const logits = await trainer.predict(new DataLoader(test, { batchSize: 1000 }));
    const scores = {
      accuracy: await accuracy(logits, labels),
      precision: (await precision(logits, labels, { numClasses: 10, average: 'macro' })) as number,
      recall: (await recall(logits, labels, { numClasses: 10, average: 'macro' })) as number,
      f1: (await f1(logits, labels, { numClasses: 10, average: 'macro' })) as number,
    };
    const matrix = await confusionMatrix(logits, labels, 10);
    await writeFile(
      join(runDir, 'confusion-matrix.json'),
      JSON.stringify({ matrix, classNames: CLASS_NAMES }),
    );
    rows.push({ name, setting, ...scores, seconds: secondsSince(t0), runDir });
    logits.dispose();
    model.dispose();
    optimizer.dispose();
  }
  const best = rows.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  const report = await writeReport([best.runDir], join(outDir, 'report'), {
    title: `Best run: ${best.name}`,
  });
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const table = markdownTable(
    ['setting', 'accuracy', 'precision (macro)', 'recall (macro)', 'F1 (macro)', 'seconds'],
    rows.map((r) => [
      r.name,
      pct(r.accuracy),
      pct(r.precision),
      pct(r.recall),
      pct(r.f1),
      r.seconds.toFixed(1),
    ]),
  );
  const results = {
    quick,
    epochs,
    rows,
    best: best.name,
    seconds: secondsSince(started),
    plots: report.svgs,
    /** The best run's report page, with its confusion matrix as a table. */
    report: report.html,
  };
  await saveResults(outDir, results, `${table}\n\nBest: ${best.name}; its confusion matrix is in report/.`);
  return results;
}
