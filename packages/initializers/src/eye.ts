import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** The identity matrix for a 2-D `[in, out]` weight (`torch.nn.init.eye_`): ones where row = column. */
export function eye(shape: number[]): tf.Tensor {
  if (shape.length !== 2)
    throw new NntkError('INVALID_OPTION', `eye: needs a 2-D shape, got ${JSON.stringify(shape)}`);
  return tf.eye(shape[0], shape[1], undefined, 'float32');
}
