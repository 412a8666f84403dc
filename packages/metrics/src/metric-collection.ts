import { check, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Average, scoreFromMatrix } from './classification-report';
import { confusionCounts } from './internal/confusion-counts';
import { deviceConfusion } from './internal/device-confusion';
import { isTensor } from './internal/labels';

/** A classification metric `MetricCollection` can stream. */
export type StreamedMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'confusionMatrix';

/**
 * Classification metrics accumulated over batches through one running confusion matrix, so no
 * prediction is kept: `update(scoresOrLabels, targets)` per batch, then `await compute()`.
 *
 * Tensors are counted on their device (`oneHot(targets)ᵀ · oneHot(argmax(scores))`, added to a running
 * `[C, C]` tensor): `update` never reads the device, so a training step on a GPU does not stall on it.
 * The counts reach the CPU in `compute()` and `stateDict()`, with one `await data()`. Float32 counts are
 * exact up to 2^24 per cell between two reads; every read folds them into exact JS numbers.
 */
export class MetricCollection {
  private matrix: number[][];
  private pending: tf.Tensor2D | null = null;
  private pendingSamples = 0;

  constructor(
    readonly metrics: StreamedMetric[],
    readonly options: { numClasses: number; average?: Average },
  ) {
    check.integer('MetricCollection', 'numClasses', options?.numClasses, 1);
    for (const m of metrics)
      check.oneOf('MetricCollection', 'metrics', m, [
        'accuracy',
        'precision',
        'recall',
        'f1',
        'confusionMatrix',
      ]);
    this.matrix = this.empty();
  }

  private empty(): number[][] {
    return Array.from({ length: this.options.numClasses }, () =>
      new Array<number>(this.options.numClasses).fill(0),
    );
  }

  /** Adds a batch: labels `[N]` or scores `[N, C]` against labels; tensors stay on their device. */
  update(predictions: tf.Tensor | ArrayLike<number>, targets: tf.Tensor | ArrayLike<number>): void {
    if (isTensor(predictions) || isTensor(targets)) {
      // One side given as numbers: it goes to the device too, so nothing is read back here.
      const p = isTensor(predictions) ? predictions : tf.tensor1d(Array.from(predictions), 'int32');
      const t = isTensor(targets) ? targets : tf.tensor1d(Array.from(targets), 'int32');
      const batch = deviceConfusion('MetricCollection', p, t, this.options.numClasses);
      if (p !== predictions) p.dispose();
      if (t !== targets) t.dispose();
      const previous = this.pending;
      this.pending = previous ? tf.tidy(() => tf.add<tf.Tensor2D>(previous, batch)) : batch;
      if (previous) tf.dispose([previous, batch]);
      this.pendingSamples += p.shape[0];
      return;
    }
    if (predictions.length !== targets.length)
      throw new NntkError(
        'SHAPE_MISMATCH',
        `MetricCollection: ${predictions.length} predictions but ${targets.length} targets`,
      );
    const batch = confusionCounts('MetricCollection', predictions, targets, this.options.numClasses);
    this.addCounts(batch.flat());
  }

  private addCounts(counts: ArrayLike<number>): void {
    const c = this.options.numClasses;
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) this.matrix[i][j] += counts[i * c + j];
  }

  /** Reads the device counts into the JS matrix (one `await data()`); checks every label was in range. */
  private async settle(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    const samples = this.pendingSamples;
    this.pending = null;
    this.pendingSamples = 0;
    const counts = (await pending.data()) as Float32Array;
    pending.dispose();
    const counted = counts.reduce((a, b) => a + b, 0);
    if (counted !== samples) {
      throw new NntkError(
        'INVALID_OPTION',
        `MetricCollection: ${samples - counted} of ${samples} samples had a label outside [0, ${this.options.numClasses}); check numClasses and the targets`,
      );
    }
    this.addCounts(counts);
  }

  /** The metrics over every batch since the last `reset()`. */
  async compute(): Promise<Record<string, number | number[] | number[][]>> {
    await this.settle();
    const out: Record<string, number | number[] | number[][]> = {};
    const average = this.options.average ?? 'macro';
    const total = this.matrix.flat().reduce((a, b) => a + b, 0);
    for (const metric of this.metrics) {
      if (metric === 'accuracy')
        out.accuracy = total === 0 ? 0 : this.matrix.reduce((s, row, i) => s + row[i], 0) / total;
      else if (metric === 'confusionMatrix') out.confusionMatrix = this.matrix.map((row) => [...row]);
      else out[metric] = scoreFromMatrix(metric, this.matrix, average);
    }
    return out;
  }

  reset(): void {
    this.pending?.dispose();
    this.pending = null;
    this.pendingSamples = 0;
    this.matrix = this.empty();
  }

  /** Frees the device counts not read yet. */
  dispose(): void {
    this.reset();
  }

  async stateDict(): Promise<{ matrix: number[][] }> {
    await this.settle();
    return { matrix: this.matrix.map((row) => [...row]) };
  }

  loadStateDict(state: { matrix: number[][] }): void {
    if (!Array.isArray(state?.matrix) || state.matrix.length !== this.options.numClasses) {
      throw new NntkError(
        'STATE_DICT_MISMATCH',
        `MetricCollection.loadStateDict: expected a ${this.options.numClasses}x${this.options.numClasses} matrix`,
      );
    }
    this.reset();
    this.matrix = state.matrix.map((row) => [...row]);
  }
}
