import { join } from 'node:path';
import { getRng, seed, useBackend, valueAndGrads } from '@nntk/core';
import { mseLoss } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import {
  type ChartPoint,
  type ExampleArgs,
  markdownTable,
  saveResults,
  secondsSince,
  writeLineChart,
} from '@nntk-examples/kit';
import * as tf from '@tensorflow/tfjs-core';
import { type AddingData, addingProblem } from './adding-problem';
import { SequenceRegressor } from './sequence-regressor';

export interface CellResult {
  cell: 'LSTM' | 'GRU';
  /** Test mean squared error after each epoch. */
  testMse: number[];
  /** Test examples whose prediction is within 0.04 of the target, after the last epoch. */
  accuracy: number;
  seconds: number;
}

/** Mean squared error and the fraction within 0.04 of the target (the paper's criterion) over `data`. */
async function evaluate(
  model: SequenceRegressor,
  data: AddingData,
): Promise<{ mse: number; accuracy: number }> {
  const [mse, hits] = tf.tidy(() => {
    const prediction = model.forward(data.x);
    return [
      tf.mean(tf.square(tf.sub(prediction, data.y))),
      tf.mean(tf.cast(tf.less(tf.abs(tf.sub(prediction, data.y)), 0.04), 'float32')),
    ];
  });
  const [m, a] = [(await mse.data())[0], (await hits.data())[0]];
  tf.dispose([mse, hits]);
  return { mse: m, accuracy: a };
}

/** One epoch of Adam over shuffled mini-batches. */
function trainEpoch(model: SequenceRegressor, optimizer: Adam, data: AddingData, batchSize: number): void {
  const n = data.x.shape[0];
  const order = tf.tensor1d(getRng().permutation(n), 'int32');
  for (let start = 0; start + batchSize <= n; start += batchSize) {
    const { value, grads } = valueAndGrads(() => {
      const index = order.slice([start], [batchSize]);
      return mseLoss(model.forward(tf.gather(data.x, index)), tf.gather(data.y, index)) as tf.Scalar;
    }, model.parameters());
    optimizer.step(grads);
    tf.dispose([value, ...grads.values()]);
  }
  order.dispose();
}

/**
 * LSTM against GRU on the adding problem (Hochreiter and Schmidhuber 1997): one recurrent layer of 32 units
 * read at its last state, a linear head, Adam (lr 0.01, batch 32), mean squared error on held-out
 * sequences after each epoch, against the 1/6 of always predicting 1.
 */
export async function runStudy({ quick, outDir }: ExampleArgs) {
  const started = performance.now();
  await useBackend('wasm');
  const length = quick ? 8 : 20;
  const trainSize = quick ? 1024 : 3072;
  const epochs = quick ? 4 : 8;
  const hiddenSize = 32;
  const batchSize = 32;
  const train = addingProblem(trainSize, length, 1);
  const test = addingProblem(1000, length, 2);
  const cells: CellResult[] = [];
  for (const cell of ['LSTM', 'GRU'] as const) {
    seed(0);
    const t0 = performance.now();
    const model = new SequenceRegressor(cell, 2, hiddenSize);
    const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
    const testMse: number[] = [];
    let accuracy = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      trainEpoch(model, optimizer, train, batchSize);
      const result = await evaluate(model, test);
      testMse.push(result.mse);
      accuracy = result.accuracy;
      process.stdout.write(`${cell} epoch ${epoch + 1}/${epochs}: test MSE ${result.mse.toFixed(4)}\n`);
    }
    cells.push({ cell, testMse, accuracy, seconds: secondsSince(t0) });
    optimizer.dispose();
    model.dispose();
  }
  tf.dispose([train.x, train.y, test.x, test.y]);
  const baseline = 1 / 6;
  const points: ChartPoint[] = cells.flatMap((c) =>
    c.testMse.map((y, i) => ({ x: i + 1, y, series: c.cell })),
  );
  points.push(
    ...Array.from({ length: epochs }, (_, i) => ({ x: i + 1, y: baseline, series: 'predict 1 (baseline)' })),
  );
  const plot = await writeLineChart(
    join(outDir, 'test-mse.svg'),
    `Adding problem, length ${length}: test MSE`,
    points,
    {
      x: 'epoch',
      y: 'test MSE',
    },
  );
  const table = markdownTable(
    ['epoch', ...cells.map((c) => `${c.cell} test MSE`)],
    cells[0].testMse.map((_, i) => [i + 1, ...cells.map((c) => c.testMse[i].toFixed(4))]),
  );
  const summary = cells
    .map(
      (c) =>
        `${c.cell}: ${(100 * c.accuracy).toFixed(1)}% of test sequences within 0.04 of the target, ${c.seconds} s.`,
    )
    .join('\n');
  const results = {
    quick,
    length,
    trainSize,
    testSize: 1000,
    epochs,
    hiddenSize,
    baseline,
    cells,
    seconds: secondsSince(started),
    plots: [plot],
  };
  await saveResults(
    outDir,
    results,
    `${table}\n\nBaseline (always predict 1): ${baseline.toFixed(4)}.\n\n${summary}`,
  );
  return results;
}
