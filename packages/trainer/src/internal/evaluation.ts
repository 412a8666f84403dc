import type { Module } from '@nntk/core';
import type { Batch } from '@nntk/datasets';
import type { MetricCollection } from '@nntk/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callback';
import { addMetricLogs } from './num-classes';

/** A batch's loss (and outputs, for metrics): the Trainer's `loss` or its custom `trainStep`. */
export type ForwardLoss = (batch: Batch, training: boolean) => { loss: tf.Scalar; output?: tf.Tensor };

/** Runs `fn` with `model` in eval mode and puts its mode back afterwards. */
async function inEvalMode<T>(model: Module, fn: () => Promise<T>): Promise<T> {
  const wasTraining = model.training;
  model.eval();
  try {
    return await fn();
  } finally {
    model.train(wasTraining);
  }
}

/**
 * The sample-weighted mean loss and the metrics over a loader, in eval mode, without gradients; every
 * batch is disposed. One `await data()` per batch for the loss.
 */
export async function evaluateLoader(
  model: Module,
  forwardLoss: ForwardLoss,
  loader: AsyncIterable<Batch>,
  metrics: MetricCollection | undefined,
): Promise<Logs> {
  let lossSum = 0;
  let samples = 0;
  await inEvalMode(model, async () => {
    for await (const batch of loader) {
      const size = batch.x.shape[0] ?? 1;
      const { loss, output } = tf.tidy(() => {
        const r = forwardLoss(batch, false);
        return { loss: r.loss, output: metrics ? r.output : undefined };
      });
      lossSum += (await loss.data())[0] * size;
      samples += size;
      if (metrics && output) metrics.update(output, batch.y);
      tf.dispose([loss, output as tf.Tensor, batch.x, batch.y]);
    }
  });
  const logs: Logs = { loss: lossSum / Math.max(samples, 1) };
  await addMetricLogs(logs, metrics);
  return logs;
}

/** The model's outputs for every batch of a loader, concatenated along the batch axis (eval mode). */
export async function predictLoader(model: Module, loader: AsyncIterable<Batch>): Promise<tf.Tensor> {
  const parts: tf.Tensor[] = [];
  await inEvalMode(model, async () => {
    for await (const batch of loader) {
      parts.push(tf.tidy(() => model.forward(batch.x) as tf.Tensor));
      tf.dispose([batch.x, batch.y]);
    }
  });
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}
