import { Rng } from '@nntk/core';
import { type Dataset, Subset } from '@nntk/datasets';

interface Splits {
  train: Dataset<unknown>;
  val: Dataset<unknown>;
  test?: Dataset<unknown>;
}

/**
 * Holds out `fraction` of the training set (a seeded random draw) as the validation set, and keeps the
 * data set's own test split as `test`, evaluated once after training and reported apart (Keras's
 * `validation_split`, Lightning's train/val/test). Without a fraction the data is returned unchanged.
 */
export function holdOutValidation<D extends Splits>(
  data: D,
  fraction: number | undefined,
  seed: number,
): D | (D & { train: Subset<unknown>; val: Subset<unknown> }) {
  if (fraction === undefined) return data;
  const source = data.train instanceof Subset ? data.train.dataset : data.train;
  const indices =
    data.train instanceof Subset
      ? data.train.indices
      : Int32Array.from({ length: source.length }, (_, i) => i);
  const order = new Rng(seed).permutation(indices.length);
  const valCount = Math.max(1, Math.round(indices.length * fraction));
  const pick = (from: number, to: number) => Array.from(order.subarray(from, to), (i) => indices[i]);
  return {
    ...data,
    train: new Subset(source, pick(valCount, indices.length)),
    val: new Subset(source, pick(0, valCount)),
    test: data.val,
  };
}
