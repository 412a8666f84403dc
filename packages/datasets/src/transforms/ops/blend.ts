import * as tf from '@tensorflow/tfjs-core';
import { type Magnitude, magnitudes, perImageTensor } from './per-image';

/** torchvision's `_blend` on float images: `(ratio·a + (1 − ratio)·b)` clipped to [0, 1], per-image ratio. */
export function blend(owner: string, a: tf.Tensor, b: tf.Tensor, factor: Magnitude): tf.Tensor {
  const ratios = magnitudes(owner, a.shape[0] as number, factor);
  return tf.tidy(() => {
    const ratio = perImageTensor(ratios);
    const rest = perImageTensor(Array.from(ratios, (r) => 1 - r));
    return tf.clipByValue(tf.add(tf.mul(ratio, a), tf.mul(rest, b)), 0, 1);
  });
}

/** torchvision's `rgb_to_grayscale` weights (ITU-R 601-2 luma as TensorFlow rounds them): 0.2989 R + 0.587 G + 0.114 B. */
export function grayscale(images: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (images.shape[3] !== 3) return images.clone();
    const [r, g, b] = tf.split(images, 3, 3);
    return tf.add(tf.add(tf.mul(r, 0.2989), tf.mul(g, 0.587)), tf.mul(b, 0.114));
  });
}
