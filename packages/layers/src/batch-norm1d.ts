import { BatchNormBase, type BatchNormOptions } from './internal/batch-norm-base';

/** Batch normalisation of `[N, C]` or `[N, L, C]` inputs (channels last), PyTorch's `nn.BatchNorm1d`. */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm1d', [2, 3], numFeatures, options);
  }
}
