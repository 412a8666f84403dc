import type { Dataset } from './dataset';

/** Several data sets one after another (PyTorch's `ConcatDataset`). */
export class ConcatDataset<T> implements Dataset<T> {
  private readonly offsets: number[];

  constructor(readonly datasets: Dataset<T>[]) {
    this.offsets = [];
    let total = 0;
    for (const d of datasets) {
      this.offsets.push(total);
      total += d.length;
    }
    this.length = total;
  }

  readonly length: number;

  get(index: number): T | Promise<T> {
    let k = this.offsets.length - 1;
    while (k > 0 && this.offsets[k] > index) k--;
    return this.datasets[k].get(index - this.offsets[k]);
  }
}
