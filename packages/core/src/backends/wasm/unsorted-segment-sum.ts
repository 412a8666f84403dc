import * as tf from '@tensorflow/tfjs-core';

/**
 * `out[k] = Σ_{i: ids[i] = k} data[i]` (what gather and embedding gradients need), as a product with the
 * one-hot matrix of the segment ids, so it runs on XNNPACK's matmul. Ids outside [0, numSegments) drop out.
 */
export function unsortedSegmentSum(data: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  return tf.tidy(() => {
    const rows = segmentIds.size;
    const rest = data.shape.slice(segmentIds.rank);
    const flat = tf.cast(data, 'float32').reshape([rows, -1]);
    const oneHot = tf.cast(tf.oneHot(tf.cast(segmentIds, 'int32').reshape([rows]), numSegments), 'float32');
    const summed = tf.matMul(oneHot, flat, true, false).reshape([numSegments, ...rest]);
    return data.dtype === 'int32' ? tf.cast(tf.round(summed), 'int32') : summed;
  });
}
