import * as tf from '@tensorflow/tfjs-core';
import { BatchNormBase, type BatchNormOptions } from './internal/batch-norm-base';

/**
 * Instance normalisation (Ulyanov et al. 2016) of `[N, H, W, C]` images, PyTorch's `nn.InstanceNorm2d`:
 * each image's channels normalised over H and W. Defaults as PyTorch: no affine, no running statistics.
 */
export class InstanceNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('InstanceNorm2d', [4], numFeatures, { affine: false, trackRunningStats: false, ...options });
  }

  protected override statisticAxes(): number[] {
    return [1, 2];
  }

  protected override updateRunningStatistics(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor): void {
    const [, h, w] = x.shape as number[];
    const count = h * w;
    const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
    this.assignRunning(tf.mean(mean, [0, 1, 2]), tf.mean(unbiased, [0, 1, 2]));
  }
}
