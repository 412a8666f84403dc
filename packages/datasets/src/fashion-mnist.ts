import { FASHION_MNIST } from './fashion-mnist-spec';
import { type ImageDatasetOptions, loadIdxDataset } from './internal/idx-image-dataset';
import type { TensorDataset } from './tensor-dataset';

/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test 28×28 grey images of 10 clothing
 * classes, from the official gzip IDX files. x is float32 `[N, 28, 28, 1]` in [0, 1]; y is int32 `[N]`.
 */
export function fashionMnist(options: ImageDatasetOptions = {}): Promise<TensorDataset> {
  return loadIdxDataset(FASHION_MNIST, options);
}
