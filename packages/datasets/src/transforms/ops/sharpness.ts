import * as tf from '@tensorflow/tfjs-core';
import { blend } from './blend';
import { checkImages, type Magnitude } from './per-image';

/**
 * Sharpness (torchvision's `F.adjust_sharpness` on float images): a blend with a smoothed copy, the 3×3
 * kernel [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13 applied to the interior pixels (border pixels are kept):
 * `clip(factor · x + (1 − factor) · smooth(x), 0, 1)`. Images of height or width ≤ 2 are returned
 * unchanged. `factor` is 1 + magnitude in the policies (> 1 sharpens, < 1 blurs).
 */
export function sharpness(images: tf.Tensor, factor: Magnitude): tf.Tensor {
  const [, h, w, c] = checkImages('sharpness', images);
  if (h <= 2 || w <= 2) return images.clone();
  return tf.tidy(() => {
    const kernel = tf.div(tf.tensor2d([1, 1, 1, 1, 5, 1, 1, 1, 1], [3, 3]), 13);
    const filter = tf.tile(kernel.reshape([3, 3, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
    const smooth = tf.depthwiseConv2d(images as tf.Tensor4D, filter, 1, 'valid');
    const interior = tf.pad(tf.ones([1, h - 2, w - 2, 1]), [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    const padded = tf.pad(smooth, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    const degenerate = tf.where(tf.cast(tf.broadcastTo(interior, images.shape), 'bool'), padded, images);
    return blend('sharpness', images, degenerate, factor);
  });
}
