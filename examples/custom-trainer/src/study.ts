import { join } from 'node:path';
import { useBackend } from '@nntk/core';
import { AdamW, clipGradNorm, GradientAccumulator } from '@nntk/optim';
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

/** A two-layer net as plain tf variables: no nntk Module, no nntk layer. */
function makeWeights(): Record<'w1' | 'b1' | 'w2' | 'b2', tf.Variable> {
  return tf.tidy(() => ({
    w1: tf.variable(tf.randomNormal([784, 256], 0, Math.sqrt(2 / 784), 'float32', 1), true, 'w1'),
    b1: tf.variable(tf.zeros([256]), true, 'b1'),
    w2: tf.variable(tf.randomNormal([256, 10], 0, Math.sqrt(2 / 256), 'float32', 2), true, 'w2'),
    b2: tf.variable(tf.zeros([10]), true, 'b2'),
  }));
}

type Weights = ReturnType<typeof makeWeights>;

function logits(w: Weights, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w.w1), w.b1)), w.w2), w.b2) as tf.Tensor2D;
}

function loss(w: Weights, x: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), logits(w, x)) as tf.Scalar;
}

/** Gradients of the loss by variable, with tfjs's own autodiff. */
function gradients(
  w: Weights,
  x: tf.Tensor2D,
  y: tf.Tensor1D,
): { value: number; grads: Map<tf.Variable, tf.Tensor> } {
  const { value, grads } = tf.variableGrads(() => loss(w, x, y), Object.values(w));
  const map = new Map(Object.values(w).map((v) => [v, grads[v.name]] as [tf.Variable, tf.Tensor]));
  const out = value.dataSync()[0];
  value.dispose();
  return { value: out, grads: map };
}

async function arrays(data: Parameters<typeof datasetArrays>[0]) {
  const { x, y, n } = await datasetArrays(data);
  return { x: tf.tensor2d(x, [n, 784]), y: tf.tensor1d(y, 'int32') };
}

/** Test accuracy after each epoch. */
export async function writePlots(
  results: { history: { epoch: number; testAccuracy: number }[] },
  outDir: string,
) {
  const points = results.history.map((h) => ({
    x: h.epoch,
    y: 100 * h.testAccuracy,
    series: 'AdamW + warm-up/cosine + clipping + accumulation',
  }));
  return [
    await writeLineChart(
      join(outDir, 'test-accuracy.svg'),
      'Custom loop on plain variables: test accuracy',
      points,
      { x: 'epoch', y: 'test accuracy (%)' },
    ),
  ];
}

/**
 * A hand-written training loop composing only `@nntk/optim` and `@nntk/schedulers` over plain tfjs
 * variables: AdamW with two parameter groups (decay on weights, none on biases), a warm-up + cosine
 * learning-rate schedule as a pure function of the step, gradient clipping by global norm, and gradient
 * accumulation (4 micro-batches of 32 per step, an effective batch of 128).
 */
export async function runStudy({ quick, outDir }: ExampleArgs) {
  const started = performance.now();
  await useBackend('wasm');
  const splits = await fashionMnistSplits(quick ? { train: 4096, test: 1000 } : {});
  const train = await arrays(splits.train);
  const test = await arrays(splits.test);
  const epochs = quick ? 1 : 3;
  const micro = 32;
  const accumulate = 4;
  const stepsPerEpoch = Math.floor(splits.train.length / (micro * accumulate));
  const totalSteps = epochs * stepsPerEpoch;
  const lr = schedules.warmupCosine(1e-4, 3e-3, Math.min(100, Math.floor(totalSteps / 4)), totalSteps, 1e-5);

  const w = makeWeights();
  const optimizer = new AdamW(
    [
      { params: [w.w1, w.w2], weightDecay: 0.05 },
      { params: [w.b1, w.b2], weightDecay: 0 },
    ],
    { lr },
  );
  const accumulator = new GradientAccumulator(optimizer, { steps: accumulate });
  const before = tf.memory().numTensors;
  const rows: (string | number)[][] = [];
  const history = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = tf.util.createShuffledIndices(splits.train.length);
    let lossSum = 0;
    let clipped = 0;
    const microBatches = stepsPerEpoch * accumulate;
    for (let b = 0; b < microBatches; b++) {
      const index = tf.tensor1d(Int32Array.from(order.subarray(b * micro, (b + 1) * micro)), 'int32');
      const x = tf.gather(train.x, index) as tf.Tensor2D;
      const y = tf.gather(train.y, index) as tf.Tensor1D;
      const { value, grads } = gradients(w, x, y);
      // Clip each micro-batch's gradient by global norm (5), then accumulate; every 4th call steps AdamW.
      const { totalNorm } = clipGradNorm(grads, 5);
      if ((await totalNorm.data())[0] > 5) clipped += 1;
      totalNorm.dispose();
      accumulator.add(grads);
      tf.dispose([...grads.values(), index, x, y]);
      lossSum += value;
    }
    const accuracy = tf.tidy(
      () => tf.mean(tf.equal(tf.argMax(logits(w, test.x), 1), test.y).toFloat()).dataSync()[0],
    );
    const entry = {
      epoch: epoch + 1,
      trainLoss: lossSum / microBatches,
      testAccuracy: accuracy,
      lr: lr(optimizer.stepCount),
      clippedFraction: clipped / microBatches,
      leakedTensors: tf.memory().numTensors - before,
    };
    history.push(entry);
    rows.push([
      entry.epoch,
      entry.trainLoss,
      `${(100 * accuracy).toFixed(2)}%`,
      entry.lr,
      `${(100 * entry.clippedFraction).toFixed(1)}%`,
      optimizer.stepCount,
    ]);
    process.stdout.write(
      `epoch ${epoch + 1}: loss ${entry.trainLoss.toFixed(4)}, test accuracy ${(100 * accuracy).toFixed(2)}%\n`,
    );
  }
  const table = markdownTable(
    ['epoch', 'train loss', 'test accuracy', 'lr now', 'micro-batches clipped', 'optimizer steps'],
    rows,
  );
  const results = {
    quick,
    history,
    finalAccuracy: history.at(-1)?.testAccuracy ?? 0,
    optimizerSteps: optimizer.stepCount,
    seconds: secondsSince(started),
  };
  optimizer.dispose();
  tf.dispose([...Object.values(w), train.x, train.y, test.x, test.y]);
  await saveResults(outDir, results, table);
  return results;
}
