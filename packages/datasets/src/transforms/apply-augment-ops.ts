import * as tf from '@tensorflow/tfjs-core';
import type { AugmentOpName } from './augmentation-space';
import type { GeometricOptions } from './ops/affine-sample';
import * as ops from './ops/index';

/** One op with its signed magnitude, as torchvision's `_apply_op` receives them. */
export interface AugmentChoice {
  op: AugmentOpName;
  magnitude: number;
}

/**
 * torchvision's `_apply_op` on a batch where every image has the same op: the magnitude → argument rules
 * (`1 + magnitude` factors, `int()` bits and shifts, shear as atan(magnitude), solarize threshold / 255 on
 * nntk's [0, 1] scale).
 */
function applyOp(op: AugmentOpName, images: tf.Tensor, m: number[], options: GeometricOptions): tf.Tensor {
  const plusOne = () => m.map((v) => 1 + v);
  switch (op) {
    case 'ShearX':
      return ops.shearX(images, m, options);
    case 'ShearY':
      return ops.shearY(images, m, options);
    case 'TranslateX':
      return ops.translateX(images, m, options);
    case 'TranslateY':
      return ops.translateY(images, m, options);
    case 'Rotate':
      return ops.rotate(images, m, options);
    case 'Brightness':
      return ops.brightness(images, plusOne());
    case 'Color':
      return ops.color(images, plusOne());
    case 'Contrast':
      return ops.contrast(images, plusOne());
    case 'Sharpness':
      return ops.sharpness(images, plusOne());
    case 'Posterize':
      return ops.posterize(images, m.map(Math.trunc));
    case 'Solarize':
      return ops.solarize(
        images,
        m.map((v) => v / 255),
      );
    case 'AutoContrast':
      return ops.autocontrast(images);
    case 'Equalize':
      return ops.equalize(images);
    case 'Invert':
      return ops.invert(images);
    case 'Identity':
      return images.clone();
  }
}

/**
 * Applies one op per image (`choices[i]` to image i; null leaves it unchanged): the images are grouped
 * by op, each group is transformed as one batch, and the results are put back in order.
 */
export function applyPerImage(
  images: tf.Tensor,
  choices: (AugmentChoice | null)[],
  options: GeometricOptions,
): tf.Tensor {
  const groups = new Map<AugmentOpName, { index: number[]; magnitude: number[] }>();
  choices.forEach((choice, i) => {
    const op = choice?.op ?? 'Identity';
    const group = groups.get(op) ?? { index: [], magnitude: [] };
    group.index.push(i);
    group.magnitude.push(choice?.magnitude ?? 0);
    groups.set(op, group);
  });
  return tf.tidy(() => {
    if (groups.size === 1) {
      const [[op, group]] = groups;
      return applyOp(op, images, group.magnitude, options);
    }
    const order: number[] = [];
    const parts: tf.Tensor[] = [];
    for (const [op, group] of groups) {
      order.push(...group.index);
      parts.push(applyOp(op, tf.gather(images, tf.tensor1d(group.index, 'int32')), group.magnitude, options));
    }
    const inverse = new Int32Array(order.length);
    order.forEach((image, position) => {
      inverse[image] = position;
    });
    return tf.gather(tf.concat(parts, 0), tf.tensor1d(inverse, 'int32'));
  });
}
