import { join } from 'node:path';
import { seed, useBackend } from '@nntk/core';
import { DataLoader } from '@nntk/datasets';
import { crossEntropy, Flatten, MLP, Sequential } from '@nntk/layers';
import { SGD } from '@nntk/optim';
import { writeReport } from '@nntk/runs';
import { ProgressBar, Trainer } from '@nntk/trainer';
import {
  type ExampleArgs,
  fashionMnistSplits,
  markdownTable,
  saveResults,
  secondsSince,
} from '@nntk-examples/kit';

export interface VariantResult {
  name: string;
  /** Test accuracy after each epoch. */
  accuracy: number[];
  seconds: number;
}

/**
 * Ioffe and Szegedy (2015) on Fashion-MNIST: the same 784-64-32-10 MLP trained with plain SGD (lr 0.01,
 * batch 64), without and with BatchNorm after each hidden Linear; test accuracy per epoch.
 */
export async function runStudy({ quick, outDir }: ExampleArgs) {
  const started = performance.now();
  await useBackend('wasm');
  const { train, test } = await fashionMnistSplits(quick ? { train: 6000, test: 1000 } : {});
  const epochs = quick ? 2 : 5;
  const variants: VariantResult[] = [];
  for (const batchNorm of [false, true]) {
    const name = batchNorm ? 'with BatchNorm' : 'plain';
    seed(0);
    const model = new Sequential(new Flatten(), new MLP({ sizes: [784, 64, 32, 10], batchNorm }));
    const runDir = join(outDir, 'runs', batchNorm ? 'batchnorm' : 'plain');
    const trainer = new Trainer({
      model,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      loss: crossEntropy,
      metrics: ['accuracy'],
      callbacks: [new ProgressBar({ totalEpochs: epochs })],
      runDir,
      seed: 0,
    });
    const t0 = performance.now();
    const history = await trainer.fit(new DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 }), {
      epochs,
      valLoader: new DataLoader(test, { batchSize: 1000 }),
    });
    variants.push({ name, accuracy: history.epochs.map((e) => e.val_accuracy), seconds: secondsSince(t0) });
    model.dispose();
  }
  const report = await writeReport(
    ['plain', 'batchnorm'].map((r) => join(outDir, 'runs', r)),
    join(outDir, 'report'),
    { title: 'BatchNorm study: Fashion-MNIST, MLP 784-64-32-10, SGD lr 0.01' },
  );
  const [plain, bn] = variants;
  const plainFinal = plain.accuracy.at(-1) as number;
  const epochsToMatch = bn.accuracy.findIndex((a) => a >= plainFinal) + 1;
  const table = markdownTable(
    ['epoch', 'plain SGD', 'with BatchNorm'],
    plain.accuracy.map((a, i) => [
      i + 1,
      `${(100 * a).toFixed(2)}%`,
      `${(100 * bn.accuracy[i]).toFixed(2)}%`,
    ]),
  );
  const summary = `BatchNorm reached the plain model's final test accuracy (${(100 * plainFinal).toFixed(2)}%) after ${epochsToMatch || 'more than ' + epochs} epoch(s).`;
  const results = {
    quick,
    epochs,
    trainSize: train.length,
    testSize: test.length,
    variants,
    epochsToMatch,
    seconds: secondsSince(started),
    plots: report.svgs,
  };
  await saveResults(outDir, results, `${table}\n\n${summary}`);
  return results;
}
