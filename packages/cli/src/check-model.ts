import { type Module, NntkError } from '@nntk/core';
import { DataLoader, Subset, type TensorDataset } from '@nntk/datasets';
import * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from './config';

/** What the check needs of the built data (build-run's BuiltData). */
interface DataToCheck {
  train: TensorDataset | Subset<unknown>;
  task: 'classification' | 'regression';
  classNames?: string[];
}

function sourceOf(data: DataToCheck): TensorDataset {
  return (data.train instanceof Subset ? data.train.dataset : data.train) as TensorDataset;
}

/**
 * A dry forward pass of one training example in eval mode (no randomness drawn, no state changed), so a
 * model that does not fit the data (wrong input size, too few outputs for the classes) is reported as an
 * `INVALID_CONFIG` error before anything is written. Returns the model's output width (the number of
 * classes the metrics count, for classification).
 */
export async function checkModelFitsData(
  model: Module,
  data: DataToCheck,
  config: RunConfig,
): Promise<number> {
  const source = sourceOf(data);
  const inputShape = `[${source.x.shape.join(', ')}]`;
  const loader = new DataLoader(data.train, { batchSize: 1, seed: 0 });
  const iterator = loader[Symbol.asyncIterator]();
  const first = await iterator.next();
  await iterator.return?.();
  if (first.done)
    throw new NntkError('INVALID_CONFIG', `data: the ${config.data.name} training set is empty`);
  const batch = first.value;
  const wasTraining = model.training;
  model.eval();
  let outputs: number;
  try {
    const y = tf.tidy(() => model.forward(batch.x) as tf.Tensor);
    outputs = y.shape[y.rank - 1] ?? 1;
    y.dispose();
  } catch (error) {
    throw new NntkError(
      'INVALID_CONFIG',
      `model: the ${config.model.name} model does not fit the ${config.data.name} data (examples of shape ${inputShape}): ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    model.train(wasTraining);
    tf.dispose([batch.x, batch.y]);
  }
  if (data.task !== 'classification') return outputs;
  const labels = source.y.values;
  let classes = data.classNames?.length ?? 0;
  for (let i = 0; i < labels.length; i++) classes = Math.max(classes, labels[i] + 1);
  if (outputs < classes)
    throw new NntkError(
      'INVALID_CONFIG',
      `model: the ${config.model.name} model outputs ${outputs} values per example but the ${config.data.name} data has ${classes} classes; make its last layer ${classes} wide`,
    );
  return outputs;
}
