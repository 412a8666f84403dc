import * as tf from '@tensorflow/tfjs-core';

/**
 * Applies a per-image geometric map to a batch of NHWC images on their device: `fn(sources, index)` fills,
 * for every element of output image `index` (`outShape`, row-major), the flat position in that image it is
 * copied from, or -1 for `fill`. The batch is then one gather, so nothing is read back from the device
 * (per-sample random geometry is decided in JavaScript, cheaper than one slice per sample).
 */
export function mapImages(
  images: tf.Tensor,
  outShape: [number, number, number],
  fill: number,
  fn: (sources: Int32Array, index: number) => void,
): tf.Tensor {
  const [n, h, w, c] = images.shape as number[];
  const size = h * w * c;
  const [oh, ow, oc] = outShape;
  const outSize = oh * ow * oc;
  const positions = new Int32Array(n * outSize);
  for (let i = 0; i < n; i++) {
    const sources = positions.subarray(i * outSize, (i + 1) * outSize);
    sources.fill(-1);
    fn(sources, i);
    // -1 points at the fill value appended after the last image.
    for (let k = 0; k < outSize; k++) sources[k] = sources[k] < 0 ? n * size : sources[k] + i * size;
  }
  return tf.tidy(() => {
    const flat = tf.concat([tf.reshape(images, [n * size]), tf.fill([1], fill, images.dtype)]);
    const index = tf.tensor1d(positions, 'int32');
    return tf.reshape(tf.gather(flat, index), [n, oh, ow, oc]);
  });
}
