import * as tf from '@tensorflow/tfjs-core';

/** The weights of one recurrent layer and direction, nntk's layout: `x·W_ih + b_ih`, `h·W_hh + b_hh`. */
export interface RecurrentWeights {
  /** `[inputSize, gates·H]`. */
  weightIh: tf.Tensor;
  /** `[H, gates·H]`. */
  weightHh: tf.Tensor;
  biasIh?: tf.Tensor;
  biasHh?: tf.Tensor;
}

/**
 * One LSTM step from the input projection `xw = x·W_ih + b_ih + b_hh` (`[N, 4H]`, gates i, f, g, o):
 * `c' = σ(f)⊙c + σ(i)⊙tanh(g)`, `h' = σ(o)⊙tanh(c')`.
 */
export function lstmStep(
  xw: tf.Tensor,
  h: tf.Tensor,
  c: tf.Tensor,
  weightHh: tf.Tensor,
): [tf.Tensor, tf.Tensor] {
  const gates = tf.add(xw, tf.matMul(h, weightHh));
  const [i, f, g, o] = tf.split(gates, 4, 1);
  const cNext = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
  return [tf.mul(tf.sigmoid(o), tf.tanh(cNext)), cNext];
}

/**
 * One GRU step from the input projection `xw = x·W_ih + b_ih` (`[N, 3H]`, gates r, z, n), PyTorch's form
 * with the reset gate applied after the hidden projection: `r = σ(x_r + h_r)`, `z = σ(x_z + h_z)`,
 * `n = tanh(x_n + r⊙(h·W_hn + b_hn))`, `h' = (1 − z)⊙n + z⊙h`.
 */
export function gruStep(xw: tf.Tensor, h: tf.Tensor, weightHh: tf.Tensor, biasHh?: tf.Tensor): tf.Tensor {
  const hw = tf.matMul(h, weightHh);
  const [xr, xz, xn] = tf.split(xw, 3, 1);
  const [hr, hz, hn] = tf.split(biasHh ? tf.add(hw, biasHh) : hw, 3, 1);
  const r = tf.sigmoid(tf.add(xr, hr));
  const z = tf.sigmoid(tf.add(xz, hz));
  const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
  return tf.add(n, tf.mul(z, tf.sub(h, n)));
}

/** `x·W_ih + b_ih` (+ `b_hh` where it may be folded in, as for the LSTM) over `[M, inputSize]` rows. */
export function inputProjection(x: tf.Tensor2D, w: RecurrentWeights, foldHiddenBias: boolean): tf.Tensor2D {
  let xw: tf.Tensor = tf.matMul(x, w.weightIh as tf.Tensor2D);
  if (w.biasIh) xw = tf.add(xw, w.biasIh);
  if (foldHiddenBias && w.biasHh) xw = tf.add(xw, w.biasHh);
  return xw as tf.Tensor2D;
}
