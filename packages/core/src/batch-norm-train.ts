import * as tf from '@tensorflow/tfjs-core';
import { checkFusedShapes } from './fused-checks';
import { check } from './validate';

/** What {@link batchNormTrain} returns: the normalised output and the batch statistics (`[C]`). */
export interface BatchNormTrainResult {
  output: tf.Tensor;
  mean: tf.Tensor1D;
  /** The biased batch variance (PyTorch normalises with it; running statistics take the unbiased one). */
  variance: tf.Tensor1D;
}

/** tfjs ops: the op off backends with the fused kernels (autodiff gives its gradient). */
function composed(x: tf.Tensor, weight: tf.Tensor1D | undefined, bias: tf.Tensor1D | undefined, eps: number) {
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    let output = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    if (weight) output = tf.mul(output, weight);
    if (bias) output = tf.add(output, bias);
    return { output, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/**
 * Batch normalisation in training mode over every axis but the last (channels last; Ioffe and Szegedy 2015):
 * `y = (x − μ)/√(σ² + eps)·γ + β` with the batch mean μ and biased variance σ². Where the backend registers
 * `NntkBatchNormTrain` / `NntkBatchNormGrad` (wasm) the forward is one kernel (statistics and output) and
 * the backward another (`dβ = Σ dy`, `dγ = Σ dy·x̂`, `dx = γ/σ̂·(dy − mean(dy) − x̂·mean(dy·x̂))`), instead
 * of about twenty tfjs ops each way; elsewhere tfjs ops with the same values.
 */
export function batchNormTrain(
  x: tf.Tensor,
  weight: tf.Tensor1D | undefined,
  bias: tf.Tensor1D | undefined,
  eps: number,
): BatchNormTrainResult {
  check.positive('batchNormTrain', 'eps', eps);
  const channels = x.shape[x.rank - 1];
  const perChannel = (t?: tf.Tensor) => !t || (t.rank === 1 && t.shape[0] === channels);
  checkFusedShapes(
    'batchNormTrain',
    x.rank >= 2 && perChannel(weight) && perChannel(bias),
    'x [N, ..., C] (channels last) and weight, bias [C]',
    [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])],
  );
  const backend = tf.getBackend();
  if (!tf.getKernel('NntkBatchNormTrain', backend) || !tf.getKernel('NntkBatchNormGrad', backend))
    return composed(x, weight, bias, eps);
  let stats: tf.Tensor[] = [];
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const engine = tf.engine();
    const [y, mean, variance, invStd] = engine.runKernel(
      'NntkBatchNormTrain',
      { x, ...(weight ? { weight } : {}), ...(bias ? { bias } : {}) },
      { eps },
    ) as tf.Tensor[];
    save([x, mean, invStd, ...(weight ? [weight] : [])]);
    // The statistics leave the op's scope kept; the caller's copies below are tracked as usual.
    stats = [tf.keep(mean), tf.keep(variance)];
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [xs, m, inv, w]: tf.Tensor[]) => {
        const [dx, dWeight, dBias] = engine.runKernel(
          'NntkBatchNormGrad',
          { x: xs, dy, mean: m, invStd: inv, ...(w ? { weight: w } : {}) },
          {},
        ) as tf.Tensor[];
        const grads = [dx];
        if (weight) grads.push(dWeight);
        else dWeight.dispose();
        if (bias) grads.push(dBias);
        else dBias.dispose();
        return grads;
      },
    };
  });
  const output = op(...inputs);
  const [mean, variance] = stats.map((t) => t.clone() as tf.Tensor1D);
  tf.dispose(stats);
  return { output, mean, variance };
}
