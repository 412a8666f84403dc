import { getRng, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Inverted dropout (Srivastava et al. 2014) as the layers inside attention blocks apply it (PyTorch's
 * `F.dropout`): in training each element is zeroed with probability `p` and the rest scaled by
 * `1/(1 − p)`, with masks from `rng` (else nntk's global generator); the identity otherwise.
 */
export function dropoutIn(x: tf.Tensor, p: number, training: boolean, rng?: Rng): tf.Tensor {
  if (!training || p === 0) return x;
  const keep = (rng ?? getRng()).bernoulli(x.shape, 1 - p);
  return tf.mul(x, tf.mul(keep, 1 / (1 - p)));
}
