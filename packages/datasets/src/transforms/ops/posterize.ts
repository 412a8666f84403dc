import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { toLevels } from './levels';
import { checkImages, type Magnitude, magnitudes, perImageTensor } from './per-image';

/**
 * Posterize (torchvision's `F.posterize`, defined there for uint8 only): keeps the top `bits` (0…8) bits of
 * each 8-bit level. nntk's float images are read as the levels `v = round(255·x)` and the result is
 * `(v & ~(2^(8−bits) − 1)) / 255 = floor(v / 2^(8−bits)) · 2^(8−bits) / 255`, so on images of levels
 * k/255 it equals torchvision's uint8 result / 255 exactly. One bit count for the batch or one per image.
 */
export function posterize(images: tf.Tensor, bits: Magnitude): tf.Tensor {
  const [n] = checkImages('posterize', images);
  const b = magnitudes('posterize', n, bits);
  if (b.some((v) => !Number.isInteger(v) || v < 0 || v > 8))
    throw new NntkError(
      'INVALID_OPTION',
      `posterize: bits must be integers in [0, 8], got [${Array.from(b)}]`,
    );
  return tf.tidy(() => {
    const step = perImageTensor(Array.from(b, (v) => 2 ** (8 - v)));
    return tf.div(tf.mul(tf.floor(tf.div(toLevels(images), step)), step), 255);
  });
}
