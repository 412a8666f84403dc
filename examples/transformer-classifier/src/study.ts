import { join } from 'node:path';
import { seed, useBackend } from '@nntk/core';
import { DataLoader, TensorDataset } from '@nntk/datasets';
import { crossEntropy } from '@nntk/layers';
import { AdamW } from '@nntk/optim';
import { writeReport } from '@nntk/runs';
import { ProgressBar, Trainer } from '@nntk/trainer';
import { type ExampleArgs, markdownTable, saveResults, secondsSince } from '@nntk-examples/kit';
import { type PositionKind, SequenceClassifier } from './model';
import { sortedSequences } from './sorted-sequences';

export interface VariantResult {
  positions: PositionKind;
  parameters: number;
  /** Test accuracy after each epoch. */
  accuracy: number[];
  /** Wall-clock seconds of the training run (the machine may be shared). */
  seconds: number;
  /** CPU seconds the process used for it (user + system). */
  cpuSeconds: number;
}

const TASK = { vocabulary: 16, minLength: 6, maxLength: 12 };
const MODEL = { dModel: 32, nhead: 4, dimFeedforward: 64, numLayers: 2 };

function dataset(n: number, seedValue: number): TensorDataset {
  const { ids, labels, maxLength } = sortedSequences({ n, seed: seedValue, ...TASK });
  return new TensorDataset(
    { values: ids, shape: [maxLength], dtype: 'int32' },
    { values: labels, shape: [], dtype: 'int32' },
  );
}

/**
 * "Is the sequence sorted?" (generated, see sorted-sequences.ts) with a 2-layer pre-norm Transformer encoder
 * (dModel 32, 4 heads), trained with AdamW (lr 3e-3, weight decay 0.01, batch 64) on wasm, with sinusoidal, learned and no
 * positional encoding; test accuracy per epoch.
 */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return Math.round((user + system) / 1e5) / 10;
}

export async function runStudy(
  { quick, outDir }: ExampleArgs,
  variants: PositionKind[] = ['sinusoidal', 'learned', 'none'],
) {
  const started = performance.now();
  await useBackend('wasm');
  const [trainSize, testSize, epochs] = quick ? [1024, 512, 5] : [4096, 2048, 12];
  const train = dataset(trainSize, 1);
  const test = dataset(testSize, 2);
  const results: VariantResult[] = [];
  for (const positions of variants) {
    seed(0);
    const model = new SequenceClassifier({ ...TASK, ...MODEL, positions });
    const trainer = new Trainer({
      model,
      optimizer: new AdamW(model.parameters(), { lr: 3e-3, weightDecay: 0.01 }),
      loss: crossEntropy,
      metrics: ['accuracy'],
      callbacks: [new ProgressBar({ totalEpochs: epochs })],
      runDir: join(outDir, 'runs', positions),
      seed: 0,
    });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const history = await trainer.fit(new DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 }), {
      epochs,
      valLoader: new DataLoader(test, { batchSize: 512 }),
    });
    results.push({
      positions,
      parameters: model.numParameters(),
      accuracy: history.epochs.map((e) => e.val_accuracy),
      seconds: secondsSince(t0),
      cpuSeconds: cpuSecondsSince(cpu0),
    });
    model.dispose();
  }
  const report = await writeReport(
    variants.map((v) => join(outDir, 'runs', v)),
    join(outDir, 'report'),
    { title: 'Transformer classifier: is the sequence sorted? (2-layer encoder, dModel 32)' },
  );
  const table = markdownTable(
    ['epoch', ...results.map((r) => `${r.positions} positions`)],
    results[0].accuracy.map((_, i) => [i + 1, ...results.map((r) => `${(100 * r.accuracy[i]).toFixed(2)}%`)]),
  );
  const timing = results
    .map((r) => `${r.positions}: ${r.parameters} parameters, ${r.seconds} s (${r.cpuSeconds} CPU s)`)
    .join('; ');
  const summary = {
    quick,
    epochs,
    trainSize,
    testSize,
    task: TASK,
    model: MODEL,
    variants: results,
    seconds: secondsSince(started),
    plots: report.svgs,
  };
  await saveResults(outDir, summary, `${table}\n\n${timing}.`);
  return summary;
}
