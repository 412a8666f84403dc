import * as tf from '@tensorflow/tfjs-core';
import { toLevels } from './levels';
import { checkImages } from './per-image';

/**
 * Equalize (torchvision's `F.equalize`, defined there for uint8 only): per image and channel, maps the
 * levels `v = round(255·x)` through the histogram-equalising look-up table of PIL's `ImageOps.equalize`,
 * as torchvision computes it: with `hist` the 256-bin histogram and `step = ⌊(Σ hist − hist[max v]) / 255⌋`,
 * `lut[0] = 0`, `lut[i] = min(255, ⌊(cumsum(hist)[i−1] + ⌊step/2⌋) / step⌋)`; a channel with step 0 (one
 * or two levels only) is kept. The result is `lut[v] / 255`: on images of levels k/255 it equals
 * torchvision's uint8 result / 255 exactly (all counts are integers well below 2^24, exact in float32).
 */
/**
 * `table[r][index[r][j]]` for every row r, as one flat gather (wasm's gather with `batchDims` reads out of
 * bounds when a row has a single index).
 */
function lookUp(table: tf.Tensor, index: tf.Tensor): tf.Tensor {
  const [rows, size] = table.shape as [number, number];
  const offsets = tf.mul(tf.range(0, rows, 1, 'int32').reshape([rows, 1]), tf.scalar(size, 'int32'));
  return tf.gather(table.reshape([rows * size]), tf.add(index, offsets));
}

export function equalize(images: tf.Tensor): tf.Tensor {
  const [n, h, w, c] = checkImages('equalize', images);
  return tf.tidy(() => {
    const rows = n * c;
    const levels = tf.cast(tf.transpose(toLevels(images), [0, 3, 1, 2]).reshape([rows, h * w]), 'int32');
    const hist = tf.cast(
      tf.denseBincount(levels as tf.Tensor2D, tf.tensor2d([], [0, 0], 'float32'), 256),
      'int32',
    );
    const top = tf.max(levels, 1, true);
    const topCount = lookUp(hist, top);
    const step = tf.floorDiv(tf.sub(tf.scalar(h * w, 'int32'), topCount), tf.scalar(255, 'int32'));
    const safeStep = tf.maximum(step, tf.scalar(1, 'int32'));
    const cum = tf.cumsum(hist, 1);
    const lut = tf.floorDiv(tf.add(cum, tf.floorDiv(step, tf.scalar(2, 'int32'))), safeStep);
    const shifted = tf.clipByValue(
      tf.concat([tf.zeros([rows, 1], 'int32'), tf.slice(lut, [0, 0], [rows, 255])], 1),
      0,
      255,
    );
    const mapped = tf.where(
      tf.equal(tf.broadcastTo(step, [rows, h * w]), 0),
      levels,
      lookUp(shifted, levels),
    );
    return tf.div(tf.transpose(tf.cast(mapped, 'float32').reshape([n, c, h, w]), [0, 2, 3, 1]), 255);
  });
}
