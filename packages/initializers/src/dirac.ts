import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The Dirac delta for a convolution kernel `[...kernel, in/groups, out]` (`torch.nn.init.dirac_`): each
 * output channel copies one input channel of its group at the kernel centre, so the convolution is the
 * identity on the first `min(in/groups, out/groups)` channels of each group.
 */
export function dirac(shape: number[], options: { groups?: number } = {}): tf.Tensor {
  const groups = options.groups ?? 1;
  if (shape.length < 3 || shape.length > 5) {
    throw new NntkError(
      'INVALID_OPTION',
      `dirac: needs a 3-, 4- or 5-D kernel shape [...kernel, in, out], got ${JSON.stringify(shape)}`,
    );
  }
  const outChannels = shape[shape.length - 1];
  const inChannels = shape[shape.length - 2];
  if (!Number.isInteger(groups) || groups < 1 || outChannels % groups !== 0) {
    throw new NntkError(
      'INVALID_OPTION',
      `dirac: option 'groups' must divide the ${outChannels} output channels, got ${groups}`,
    );
  }
  const kernel = shape.slice(0, -2);
  const centre = kernel.map((k) => Math.floor(k / 2));
  const strides = tf.util.computeStrides(shape);
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  const outPerGroup = outChannels / groups;
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < Math.min(outPerGroup, inChannels); d++) {
      const index = [...centre, d, g * outPerGroup + d].reduce(
        (sum, v, axis) => sum + v * (strides[axis] ?? 1),
        0,
      );
      values[index] = 1;
    }
  }
  return tf.tensor(values, shape, 'float32');
}
