import { disposeGradients, encodeSafetensors, seed, valueAndGrads } from '@nntk/core';
import { DataLoader } from '@nntk/datasets';
import { Conv2d, crossEntropy, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@nntk/layers';
import { accuracy, Mean } from '@nntk/metrics';
import { AdamW } from '@nntk/optim';
import { OneCycleLR } from '@nntk/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import type { FashionSubset } from './fashion-subset';

export interface TrainOptions {
  /** Optimizer steps (batches) to train. */
  steps: number;
  batchSize: number;
  /** Seeds the weights (nntk's RNG) and the batch order (the DataLoader). */
  seed: number;
  /** Peak learning rate of the one-cycle schedule. Default 3e-3. */
  maxLr?: number;
  /** Test images the accuracy is measured on (the first ones of the test split). Default 500. */
  testSize?: number;
  /** Measures test accuracy every this many steps (and after the last). Default: only after the last. */
  evalEvery?: number;
  /** Called after every step with what it measured; awaited (the page draws its plots here). */
  onStep?: (report: StepReport) => void | Promise<void>;
}

export interface StepReport {
  step: number;
  steps: number;
  loss: number;
  lr: number;
  /** Test accuracy measured at this step, if it was. */
  testAccuracy?: number;
  /** Live tensors after this step (tf.memory().numTensors). */
  numTensors: number;
}

export interface TrainResult {
  losses: number[];
  /** Test accuracy by step, where measured. */
  accuracy: { step: number; value: number }[];
  finalAccuracy: number;
  numTensors: number[];
  /** Training samples per second over the steps after the first (shader compilation and warm-up excluded). */
  samplesPerSecond: number;
  /** The trained weights as a `.safetensors` file (PyTorch reads it with `safetensors.torch.load_file`). */
  safetensors: Uint8Array;
  /** Live tensors once the model and optimizer are disposed, minus before training. */
  leakedTensors: number;
}

/**
 * The page's CNN (channels-last, PyTorch's layer names): conv 3x3 1->8, ReLU, max-pool 2, conv 3x3 8->16,
 * ReLU, max-pool 2, flatten, linear 784->10.
 */
export function buildCnn(): Sequential {
  return new Sequential(
    new Conv2d(1, 8, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(8, 16, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 7 * 7, 10),
  );
}

async function testAccuracy(model: Sequential, data: FashionSubset, size: number): Promise<number> {
  const n = Math.min(size, data.test.length);
  const batch = data.test.getBatch(Int32Array.from({ length: n }, (_, i) => i));
  const predicted = tf.tidy(() => tf.argMax(model.forward(batch.x), 1));
  const [labels, targets] = await Promise.all([predicted.data(), batch.y.data()]);
  tf.dispose([predicted, batch.x, batch.y]);
  return accuracy(labels, targets);
}

/**
 * Trains {@link buildCnn} for a fixed number of steps with nntk's pieces: `DataLoader` (seeded shuffle),
 * `AdamW` (weight decay 1e-4), `OneCycleLR` stepped per batch, `crossEntropy`, and `accuracy` on the
 * test images. The same function runs in the page (on webgpu, webgl or wasm) and in Node (the test's
 * reference run), so a seed gives the same weights and batches everywhere. Reads the loss with
 * `await data()` once per step (for the live plot) and never calls `dataSync`.
 */
export async function trainCnn(data: FashionSubset, options: TrainOptions): Promise<TrainResult> {
  const before = tf.memory().numTensors;
  seed(options.seed);
  const model = buildCnn();
  const optimizer = new AdamW(model.parameters(), { lr: options.maxLr ?? 3e-3, weightDecay: 1e-4 });
  const scheduler = new OneCycleLR(optimizer, { maxLr: options.maxLr ?? 3e-3, totalSteps: options.steps });
  const loader = new DataLoader(data.train, {
    batchSize: options.batchSize,
    shuffle: true,
    seed: options.seed,
  });
  const losses: number[] = [];
  const numTensors: number[] = [];
  const accuracies: { step: number; value: number }[] = [];
  const smoothed = new Mean();
  let timedFrom = 0;
  let step = 0;
  while (step < options.steps) {
    for await (const batch of loader) {
      if (step === 1) timedFrom = performance.now();
      const lr = optimizer.currentLr(optimizer.paramGroups[0]);
      const { value, grads } = valueAndGrads(
        () => crossEntropy(model.forward(batch.x), batch.y) as tf.Scalar,
        model.parameters(),
      );
      optimizer.step(grads);
      scheduler.step();
      disposeGradients(grads);
      tf.dispose([batch.x, batch.y]);
      const loss = (await value.data())[0];
      value.dispose();
      step += 1;
      losses.push(loss);
      smoothed.update(loss);
      const evaluate =
        step === options.steps || (options.evalEvery !== undefined && step % options.evalEvery === 0);
      const measured = evaluate ? await testAccuracy(model, data, options.testSize ?? 500) : undefined;
      if (measured !== undefined) accuracies.push({ step, value: measured });
      numTensors.push(tf.memory().numTensors);
      await options.onStep?.({
        step,
        steps: options.steps,
        loss,
        lr,
        testAccuracy: measured,
        numTensors: numTensors.at(-1) ?? 0,
      });
      if (step === options.steps) break;
    }
  }
  const seconds = (performance.now() - timedFrom) / 1000;
  const safetensors = await encodeSafetensors(model.stateDict(), {
    format: 'pt',
    model: 'browser-training CNN',
    steps: String(options.steps),
  });
  optimizer.dispose();
  model.dispose();
  return {
    losses,
    accuracy: accuracies,
    finalAccuracy: accuracies.at(-1)?.value ?? Number.NaN,
    numTensors,
    samplesPerSecond: options.steps > 1 ? ((options.steps - 1) * options.batchSize) / seconds : Number.NaN,
    safetensors,
    leakedTensors: tf.memory().numTensors - before,
  };
}
