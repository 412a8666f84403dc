import { check, NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { type Average, scoreFromMatrix } from './classification-report';
import { confusionMatrix } from './confusion-matrix';

/** A classification metric `MetricCollection` can stream. */
export type StreamedMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'confusionMatrix';

/**
 * Classification metrics accumulated over batches through one running confusion matrix, so no
 * prediction is kept: `update(scoresOrLabels, targets)` per batch, then `compute()`.
 */
export class MetricCollection {
  private matrix: number[][];

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

  update(predictions: tf.Tensor | ArrayLike<number>, targets: tf.Tensor | ArrayLike<number>): void {
    const batch = confusionMatrix(predictions, targets, this.options.numClasses);
    batch.forEach((row, i) => {
      row.forEach((v, j) => {
        this.matrix[i][j] += v;
      });
    });
  }

  compute(): Record<string, number | number[] | number[][]> {
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
    this.matrix = this.empty();
  }

  stateDict(): { matrix: number[][] } {
    return { matrix: this.matrix.map((row) => [...row]) };
  }

  loadStateDict(state: { matrix: number[][] }): void {
    if (!Array.isArray(state?.matrix) || state.matrix.length !== this.options.numClasses) {
      throw new NntkError(
        'STATE_DICT_MISMATCH',
        `MetricCollection.loadStateDict: expected a ${this.options.numClasses}x${this.options.numClasses} matrix`,
      );
    }
    this.matrix = state.matrix.map((row) => [...row]);
  }
}
