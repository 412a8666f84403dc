import { join } from 'node:path';
import { type Module, type StateDict, seed, useBackend } from '@nntk/core';
import { DataLoader, type Dataset, type Example } from '@nntk/datasets';
import { crossEntropy, Flatten, MLP, Sequential } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import { compact, lnStructured, polynomialDecaySparsity, sparsityReport } from '@nntk/pruning';
import { ProgressBar, Pruner, Trainer } from '@nntk/trainer';
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

/** LeNet-300-100 (LeCun et al. 1998), the classic pruning benchmark network, behind a Flatten. */
function lenet(): Sequential {
  return new Sequential(new Flatten(), new MLP({ sizes: [784, 300, 100, 10] }));
}

function mlpOf(model: Sequential): MLP {
  return model.layers[1] as MLP;
}

async function fit(
  model: Module,
  train: Dataset<Example>,
  test: Dataset<Example>,
  epochs: number,
  extra: Trainer['callbacks'] = [],
) {
  const trainer = new Trainer({
    model,
    optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
    loss: crossEntropy,
    metrics: ['accuracy'],
    callbacks: [new ProgressBar({ totalEpochs: epochs }), ...extra],
    seed: 0,
  });
  const history = await trainer.fit(new DataLoader(train, { batchSize: 128, shuffle: true, seed: 0 }), {
    epochs,
    valLoader: new DataLoader(test, { batchSize: 1000 }),
  });
  trainer.optimizer.dispose();
  return history.epochs.at(-1)?.val_accuracy ?? 0;
}

/** Inference samples/s over the test set (median of 3 passes, after a warm-up pass). */
function inferenceSpeed(model: Module, x: tf.Tensor): number {
  model.eval();
  const pass = () => tf.tidy(() => (model.forward(x) as tf.Tensor).dataSync());
  pass();
  const rates = [0, 1, 2].map(() => {
    const t0 = performance.now();
    pass();
    return x.shape[0] / ((performance.now() - t0) / 1000);
  });
  return rates.sort((a, b) => a - b)[1];
}

async function testInputs(test: Dataset<Example>): Promise<tf.Tensor> {
  const { x, n } = await datasetArrays(test, 5000);
  return tf.tensor4d(x, [n, 28, 28, 1]);
}

/** Test accuracy against weight sparsity, with the dense control as a flat reference line. */
export async function writePlots(
  results: { magnitude: { sparsity: number; accuracy: number }[]; controlAccuracy: number },
  outDir: string,
) {
  const pruned = results.magnitude.filter((r) => r.sparsity > 0);
  const points = [
    ...pruned.map((r) => ({ x: 100 * r.sparsity, y: 100 * r.accuracy, series: 'pruned + fine-tuned' })),
    ...[0, ...pruned.map((r) => 100 * r.sparsity)].map((x) => ({
      x,
      y: 100 * results.controlAccuracy,
      series: 'dense control',
    })),
  ];
  return [
    await writeLineChart(
      join(outDir, 'accuracy-vs-sparsity.svg'),
      'Test accuracy against sparsity (LeNet-300-100)',
      points,
      { x: 'weight sparsity (%)', y: 'test accuracy (%)' },
    ),
  ];
}

/**
 * Pruning LeNet-300-100 on Fashion-MNIST: magnitude pruning to 50%, 80% and 90% sparsity with the
 * polynomial schedule (Zhu and Gupta 2017) during fine-tuning, against the dense model; then structured
 * pruning of half the hidden neurons, `compact`, and the smaller model's size and speed.
 */
export async function runStudy({ quick, outDir }: ExampleArgs) {
  const started = performance.now();
  await useBackend('wasm');
  const { train, test } = await fashionMnistSplits(quick ? { train: 5000, test: 1000 } : {});
  const denseEpochs = quick ? 2 : 4;
  const pruneEpochs = 2;
  const stepsPerEpoch = Math.ceil(train.length / 128);

  seed(0);
  const dense = lenet();
  const denseAccuracy = await fit(dense, train, test, denseEpochs);
  const denseWeights: StateDict = Object.fromEntries(
    Object.entries(dense.stateDict()).map(([k, v]) => [k, v.clone()]),
  );
  const rows: { name: string; sparsity: number; accuracy: number; measured: number; nonZero: number }[] = [
    {
      name: `dense, ${denseEpochs} epochs`,
      sparsity: 0,
      accuracy: denseAccuracy,
      measured: 0,
      nonZero: dense.numParameters(),
    },
  ];
  // The control: the dense model fine-tuned as long as the pruned ones, without pruning.
  seed(0);
  const control = lenet();
  control.loadStateDict(denseWeights);
  const controlAccuracy = await fit(control, train, test, pruneEpochs);
  rows.push({
    name: `dense + ${pruneEpochs} epochs (control)`,
    sparsity: 0,
    accuracy: controlAccuracy,
    measured: (await sparsityReport(control)).global.sparsity,
    nonZero: (await sparsityReport(control)).parametersAfter,
  });
  control.dispose();
  for (const target of quick ? [0.8] : [0.5, 0.8, 0.9]) {
    seed(0);
    const model = lenet();
    model.loadStateDict(denseWeights);
    // Prune during the first fine-tuning epoch (every 10 steps), then fine-tune at the final sparsity.
    const schedule = polynomialDecaySparsity({
      initialSparsity: 0,
      finalSparsity: target,
      endStep: stepsPerEpoch - 1,
      frequency: 10,
    });
    const accuracy = await fit(model, train, test, pruneEpochs, [new Pruner({ model, schedule })]);
    const report = await sparsityReport(model);
    rows.push({
      name: `pruned to ${100 * target}% + fine-tuning`,
      sparsity: target,
      accuracy,
      measured: report.global.sparsity,
      nonZero: report.parametersAfter,
    });
    process.stdout.write(`${report}\n`);
    model.dispose();
  }

  seed(0);
  const structured = lenet();
  structured.loadStateDict(denseWeights);
  await lnStructured(mlpOf(structured).layers[0], 'weight', { amount: 0.5, n: 2 });
  await lnStructured(mlpOf(structured).layers[2], 'weight', { amount: 0.5, n: 2 });
  const structuredAccuracy = await fit(structured, train, test, pruneEpochs);
  const small = new Sequential(new Flatten(), await compact(mlpOf(structured)));
  const x = await testInputs(test);
  const gap = tf.tidy(
    () =>
      tf
        .max(tf.abs(tf.sub(structured.eval().forward(x) as tf.Tensor, small.eval().forward(x) as tf.Tensor)))
        .dataSync()[0],
  );
  const sizes = {
    dense: {
      parameters: dense.numParameters(),
      samplesPerSecond: inferenceSpeed(dense, x),
      accuracy: denseAccuracy,
    },
    masked: {
      parameters: structured.numParameters(),
      samplesPerSecond: inferenceSpeed(structured, x),
      accuracy: structuredAccuracy,
    },
    compact: {
      parameters: small.numParameters(),
      samplesPerSecond: inferenceSpeed(small, x),
      accuracy: structuredAccuracy,
    },
  };
  tf.dispose([x, ...Object.values(denseWeights)]);
  for (const m of [dense, structured, small]) m.dispose();

  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const magnitude = markdownTable(
    ['model', 'weight sparsity', 'non-zero parameters', 'test accuracy', 'vs control'],
    rows.map((r) => [
      r.name,
      pct(r.measured),
      r.nonZero,
      pct(r.accuracy),
      `${((r.accuracy - controlAccuracy) * 100).toFixed(2)} points`,
    ]),
  );
  const compactTable = markdownTable(
    ['model', 'parameters', 'test accuracy', 'inference samples/s', 'speed-up'],
    Object.entries(sizes).map(([name, s]) => [
      name,
      s.parameters,
      pct(s.accuracy),
      Math.round(s.samplesPerSecond),
      `${(s.samplesPerSecond / sizes.dense.samplesPerSecond).toFixed(2)}x`,
    ]),
  );
  const results = {
    quick,
    denseAccuracy,
    controlAccuracy,
    magnitude: rows,
    structured: sizes,
    maxOutputGap: gap,
    seconds: secondsSince(started),
  };
  await saveResults(
    outDir,
    results,
    `${magnitude}\n\nStructured (50% of hidden neurons, L2 norm) + compact; max |output difference| ${gap.toExponential(1)}:\n\n${compactTable}`,
  );
  return results;
}
