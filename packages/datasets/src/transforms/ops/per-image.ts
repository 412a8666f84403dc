import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** One magnitude per image: a number for the whole batch, or an array of one value per image. */
export type Magnitude = number | ArrayLike<number>;

/** Checks an NHWC batch of 1 or 3 channels, as torchvision's ops accept. */
export function checkImages(owner: string, images: tf.Tensor): [number, number, number, number] {
  if (images.rank !== 4 || (images.shape[3] !== 1 && images.shape[3] !== 3))
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: expected NHWC images with 1 or 3 channels, got shape [${images.shape.join(', ')}]`,
    );
  if (images.dtype !== 'float32')
    throw new NntkError(
      'UNSUPPORTED_DTYPE',
      `${owner}: expected float32 images in [0, 1] (use transforms.toFloat() first), got ${images.dtype}`,
    );
  return images.shape as [number, number, number, number];
}

/** Expands a magnitude to one finite value per image. */
export function magnitudes(owner: string, n: number, magnitude: Magnitude): Float64Array {
  const values =
    typeof magnitude === 'number' ? new Float64Array(n).fill(magnitude) : Float64Array.from(magnitude);
  if (values.length !== n)
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: got ${values.length} magnitudes for a batch of ${n} images (give one number or one per image)`,
    );
  if (values.some((v) => !Number.isFinite(v)))
    throw new NntkError('INVALID_OPTION', `${owner}: magnitudes must be finite, got [${Array.from(values)}]`);
  return values;
}

/** A [n, 1, 1, 1] float32 tensor of per-image values, to broadcast over NHWC images. */
export function perImageTensor(values: ArrayLike<number>): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(values), [values.length, 1, 1, 1]);
}
