import * as tf from '@tensorflow/tfjs-core';
import type { HistogramData } from './tensorboard/histogram';

/** How many numbers `tensorSummary` packs before the bin counts: min, max, sum, sum of squares. */
export const SUMMARY_HEAD = 4;

/**
 * On the device: [min, max, sum, sum of squares, count per bin], the bins `bins` equal parts of
 * [min, max]: bin = trunc((v − min) · bins·(1 − 2⁻²⁰) / (max − min)), which puts the maximum in the last
 * bin, counted by `tf.bincount`.
 */
export function tensorSummary(t: tf.Tensor, bins: number): tf.Tensor1D {
  return tf.tidy(() => {
    const v = tf.reshape(t, [-1]).toFloat() as tf.Tensor1D;
    const min = tf.min(v);
    const max = tf.max(v);
    const scale = tf.div(bins * (1 - 2 ** -20), tf.maximum(tf.sub(max, min), 1e-30));
    // Clipped and NaN-free: tf.bincount on wasm writes out of bounds for an index outside [0, bins).
    const position = tf.clipByValue(tf.mul(tf.sub(v, min), scale), 0, bins - 1);
    const index = tf.where(tf.isNaN(position), tf.zerosLike(position), position).toInt() as tf.Tensor1D;
    const counts = tf.bincount(index, tf.tensor1d([], 'float32'), bins) as tf.Tensor1D;
    const sumSquares = tf.reshape(tf.dot(v, v), []);
    return tf.concat([tf.stack([min, max, tf.sum(v), sumSquares]), counts.toFloat()]) as tf.Tensor1D;
  });
}

/** The `HistogramData` (right bucket edges) of a `tensorSummary` read back from the device. */
export function histogramOf(
  values: ArrayLike<number>,
  offset: number,
  bins: number,
  num: number,
): HistogramData {
  const [min, max, sum, sumSquares] = [0, 1, 2, 3].map((i) => values[offset + i]);
  const width = (max - min) / bins;
  const bucketLimits = Array.from({ length: bins }, (_, i) => (i === bins - 1 ? max : min + (i + 1) * width));
  const bucketCounts = Array.from({ length: bins }, (_, i) => values[offset + SUMMARY_HEAD + i]);
  return { min, max, num, sum, sumSquares, bucketLimits, bucketCounts };
}

/** On the device: [mean, standard deviation (population), fraction of exact zeros] of an activation. */
export function activationSummary(t: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const v = t.toFloat();
    const { mean, variance } = tf.moments(v);
    return tf.stack([mean, tf.sqrt(variance), tf.mean(tf.equal(v, 0).toFloat())]) as tf.Tensor1D;
  });
}

/** On the device: ||after − before||₂ / ||before||₂ (0 when the weights are all zero). */
export function updateRatio(before: tf.Tensor, after: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const b = tf.reshape(before, [-1]) as tf.Tensor1D;
    const w = tf.reshape(tf.dot(b, b), []);
    const ratio = tf.sqrt(tf.div(tf.sum(tf.squaredDifference(after, before)), tf.maximum(w, 1e-30)));
    return tf.where(tf.greater(w, 0), ratio, tf.zerosLike(w)) as tf.Scalar;
  });
}
