import * as tf from '@tensorflow/tfjs-core';

/** The kernel names nntk's fused ops run where a backend registers them (the wasm backend does). */
export const FUSED_KERNEL_NAMES = [
  'NntkReluBiasGrad',
  'NntkSoftmaxCrossEntropy',
  'NntkBatchNormTrain',
  'NntkBatchNormGrad',
] as const;

/**
 * Whether the active backend registers nntk's fused training kernels (`NntkReluBiasGrad`,
 * `NntkSoftmaxCrossEntropy`, `NntkBatchNormTrain`, `NntkBatchNormGrad`; the wasm backend after `useBackend('wasm')`). Layers and losses take their
 * fused paths ({@link linearReLU}, {@link conv2dReLU}, {@link softmaxCrossEntropy}, {@link batchNormTrain}) only then; elsewhere
 * they run as separate ops, exactly as before.
 */
export function hasFusedKernels(): boolean {
  const backend = tf.getBackend();
  return FUSED_KERNEL_NAMES.every((name) => tf.getKernel(name, backend) !== undefined);
}

/**
 * The backward pass of a ReLU after a bias (`y = relu(z)`, `z = … + b`, channels last): `dz = y ≤ 0 ? 0 : dy`
 * (PyTorch's `threshold_backward` on the output) and `db = Σ dz` over all axes but the last. One kernel
 * where the backend registers `NntkReluBiasGrad`, else tfjs ops with the same values.
 */
export function reluBiasGrad(y: tf.Tensor, dy: tf.Tensor): [tf.Tensor, tf.Tensor1D] {
  if (tf.getKernel('NntkReluBiasGrad', tf.getBackend())) {
    const [dz, db] = tf.engine().runKernel('NntkReluBiasGrad', { y, dy }, {}) as tf.Tensor[];
    return [dz, db as tf.Tensor1D];
  }
  return tf.tidy(() => {
    const dz = tf.where(tf.lessEqual(y, 0), tf.zerosLike(dy), dy);
    const channels = y.shape[y.rank - 1];
    return [dz, tf.sum(dz.reshape([-1, channels]), 0) as tf.Tensor1D];
  });
}
