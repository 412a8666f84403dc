import { AdamW, toTfjsOptimizer } from '@nntk/optim';
import { schedules } from '@nntk/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { FashionSubset } from './fashion-subset';

export interface InteropOptions {
  /** Training images `model.fit` sees (the first ones of the training split). */
  samples: number;
  batchSize: number;
  epochs: number;
  /** Called at the end of every batch with its loss (tfjs-layers' own `onBatchEnd` log). */
  onBatch?: (batch: number, loss: number) => void;
}

export interface InteropResult {
  /** `model.fit`'s loss by epoch. */
  losses: number[];
  /** Accuracy on the first 500 test images after training. */
  testAccuracy: number;
  /** Steps nntk's AdamW took inside `model.fit`. */
  optimizerSteps: number;
  leakedTensors: number;
}

function denseModel(): tfl.Sequential {
  const net = tfl.sequential();
  net.add(tfl.layers.flatten({ inputShape: [28, 28, 1] }));
  net.add(
    tfl.layers.dense({
      units: 64,
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

function tensors(data: FashionSubset['train'], n: number) {
  const batch = data.getBatch(Int32Array.from({ length: Math.min(n, data.length) }, (_, i) => i));
  const y = tf.tidy(() => tf.oneHot(batch.y, 10).toFloat());
  batch.y.dispose();
  return { x: batch.x, y };
}

/**
 * tfjs-layers interop: a tfjs-layers model trained by its own `model.compile` + `model.fit`, with nntk's
 * AdamW (decoupled weight decay) under a warm-up + cosine schedule, through `toTfjsOptimizer`. No
 * `clipGradNorm` here: `@nntk/optim`'s clipping reads the norm with `dataSync`, and a synchronous read on
 * Chromium's WebGPU loses the device ("A valid external Instance reference no longer exists").
 */
export async function trainLayersModel(data: FashionSubset, options: InteropOptions): Promise<InteropResult> {
  const before = tf.memory().numTensors;
  const train = tensors(data.train, options.samples);
  const test = tensors(data.test, 500);
  const totalSteps = options.epochs * Math.ceil(train.x.shape[0] / options.batchSize);
  const optimizer = toTfjsOptimizer(
    (params) =>
      new AdamW(params, {
        lr: schedules.warmupCosine(3e-4, 3e-3, Math.max(1, Math.floor(totalSteps / 10)), totalSteps),
        weightDecay: 0.01,
      }),
  );
  const net = denseModel();
  net.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history = await net.fit(train.x, train.y, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    shuffle: false,
    verbose: 0,
    callbacks: { onBatchEnd: (batch, logs) => options.onBatch?.(batch, Number(logs?.loss)) },
  });
  const evaluated = net.evaluate(test.x, test.y, { batchSize: 500 }) as tf.Scalar[];
  const testAccuracy = (await evaluated[1].data())[0];
  const optimizerSteps = optimizer.optimizer?.stepCount ?? 0;
  tf.dispose([...evaluated, train.x, train.y, test.x, test.y]);
  net.dispose();
  optimizer.dispose();
  return {
    losses: history.history.loss as number[],
    testAccuracy,
    optimizerSteps,
    leakedTensors: tf.memory().numTensors - before,
  };
}
