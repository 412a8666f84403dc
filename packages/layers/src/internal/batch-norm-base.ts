import {
  batchNormTrain,
  check,
  checkOptions,
  hasFusedKernels,
  Module,
  NntkError,
  type Parameter,
} from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkSize, makeBuffer, makeParameter, shapeError } from './parameters';

export interface BatchNormOptions {
  eps?: number;
  /** PyTorch's convention: the weight of the new batch statistic (0.1 = 10% new); null for a cumulative average. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation over the channel (last) axis (Ioffe and Szegedy 2015), PyTorch's semantics: in
 * training, normalise with the batch mean and biased variance and update the running statistics with the
 * unbiased variance; in eval mode (with running statistics), normalise with those.
 */
export abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  weight?: Parameter;
  bias?: Parameter;
  runningMean?: tf.Variable;
  runningVar?: tf.Variable;
  numBatchesTracked?: tf.Variable;

  protected constructor(
    private readonly kind: string,
    private readonly ranks: number[],
    numFeatures: number,
    options: BatchNormOptions,
  ) {
    super();
    checkOptions<BatchNormOptions>(kind, options, {
      eps: true,
      momentum: true,
      affine: true,
      trackRunningStats: true,
    });
    this.numFeatures = checkSize(kind, 'numFeatures', numFeatures);
    this.eps = check.positive(kind, 'eps', options.eps ?? 1e-5);
    this.momentum =
      options.momentum === null ? null : check.inRange(kind, 'momentum', options.momentum ?? 0.1, 0, 1, true);
    if (options.affine ?? true) {
      this.weight = makeParameter('weight', () => tf.ones([numFeatures]));
      this.bias = makeParameter('bias', () => tf.zeros([numFeatures]));
    }
    if (options.trackRunningStats ?? true) {
      this.runningMean = makeBuffer(() => tf.zeros([numFeatures]));
      this.runningVar = makeBuffer(() => tf.ones([numFeatures]));
      this.numBatchesTracked = makeBuffer(() => tf.scalar(0, 'int32'));
    }
  }

  /** The axes statistics are taken over (all but the channel axis for batch norm). */
  protected statisticAxes(x: tf.Tensor): number[] {
    return x.shape.slice(0, -1).map((_, i) => i);
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.ranks.includes(x.rank) || x.shape[x.rank - 1] !== this.numFeatures) {
      const dims = this.ranks.map(
        (r) =>
          `[${[...Array(r - 1).keys()].map((i) => (i === 0 ? 'N' : '*')).join(', ')}, ${this.numFeatures}]`,
      );
      shapeError(`${this.kind}(${this.numFeatures})`, dims.join(' or '), x.shape);
    }
    return tf.tidy(() => {
      const useBatch = this.training || !this.runningMean;
      if (useBatch && hasFusedKernels() && this.normalisesAllButChannels(x)) return this.fusedForward(x);
      const { mean, variance } = useBatch
        ? this.batchStatistics(x)
        : { mean: this.runningMean as tf.Tensor, variance: this.runningVar as tf.Tensor };
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)));
      if (this.weight && this.bias) y = tf.add(tf.mul(y, this.weight), this.bias);
      return y;
    });
  }

  private normalisesAllButChannels(x: tf.Tensor): boolean {
    return (
      this.statisticAxes(x).every((axis, i) => axis === i) && this.statisticAxes(x).length === x.rank - 1
    );
  }

  /** Statistics, output and gradient as nntk's fused kernels (core's `batchNormTrain`). */
  private fusedForward(x: tf.Tensor): tf.Tensor {
    const weight = this.weight && this.bias ? (this.weight as tf.Tensor1D) : undefined;
    const bias = weight ? (this.bias as tf.Tensor1D) : undefined;
    const { output, mean, variance } = batchNormTrain(x, weight, bias, this.eps);
    if (this.training && this.runningMean)
      this.updateRunningStatistics(x, mean, variance, this.statisticAxes(x));
    return output;
  }

  private batchStatistics(x: tf.Tensor): { mean: tf.Tensor; variance: tf.Tensor } {
    const axes = this.statisticAxes(x);
    const { mean, variance } = tf.moments(x, axes, true);
    if (this.training && this.runningMean) this.updateRunningStatistics(x, mean, variance, axes);
    return { mean, variance };
  }

  protected updateRunningStatistics(
    x: tf.Tensor,
    mean: tf.Tensor,
    variance: tf.Tensor,
    axes: number[],
  ): void {
    const count = axes.reduce((n, a) => n * x.shape[a], 1);
    if (count < 2) {
      throw new NntkError(
        'SHAPE_MISMATCH',
        `${this.kind}: expected more than 1 value per channel when training, got input [${x.shape.join(', ')}]`,
      );
    }
    this.assignRunning(
      tf.reshape(mean, [this.numFeatures]),
      tf.reshape(tf.mul(variance, count / (count - 1)), [this.numFeatures]),
    );
  }

  /** Moves the running statistics towards a new estimate, PyTorch's momentum rule. */
  protected assignRunning(newMean: tf.Tensor, newVar: tf.Tensor): void {
    const tracked = this.numBatchesTracked as tf.Variable;
    tracked.assign(tf.add(tracked, tf.scalar(1, 'int32')));
    // momentum null is PyTorch's cumulative average, factor 1/numBatchesTracked: kept on the device.
    const factor: number | tf.Tensor = this.momentum ?? tf.div(1, tf.cast(tracked, 'float32'));
    const mix = (running: tf.Variable, fresh: tf.Tensor) =>
      running.assign(tf.add(tf.mul(running, tf.sub(1, factor)), tf.mul(fresh, factor)));
    mix(this.runningMean as tf.Variable, newMean);
    mix(this.runningVar as tf.Variable, newVar);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== undefined}, trackRunningStats=${this.runningMean !== undefined}`;
  }
}
