import { BatchNormBase, type BatchNormOptions } from './internal/batch-norm-base';

/** Batch normalisation of `[N, H, W, C]` images, PyTorch's `nn.BatchNorm2d`. */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm2d', [4], numFeatures, options);
  }
}
