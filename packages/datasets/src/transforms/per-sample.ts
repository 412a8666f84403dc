import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` on each NHWC image of a batch as plain typed arrays (per-sample random geometry is cheaper in
 * JavaScript than as one slice per sample, which copies the whole tensor on wasm).
 */
export function mapImages(
  images: tf.Tensor,
  outShape: [number, number, number],
  fn: (source: Float32Array, target: Float32Array, index: number) => void,
): tf.Tensor {
  const [n, h, w, c] = images.shape as number[];
  const data = images.dataSync() as Float32Array;
  const [oh, ow, oc] = outShape;
  const out = new Float32Array(n * oh * ow * oc);
  const size = h * w * c;
  for (let i = 0; i < n; i++)
    fn(data.subarray(i * size, (i + 1) * size), out.subarray(i * oh * ow * oc, (i + 1) * oh * ow * oc), i);
  return tf.tensor4d(out, [n, oh, ow, oc]);
}
