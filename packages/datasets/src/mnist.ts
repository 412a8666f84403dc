import { type ImageDatasetOptions, loadIdxDataset } from './internal/idx-image-dataset';
import { MNIST } from './mnist-spec';
import type { TensorDataset } from './tensor-dataset';

/** MNIST handwritten digits (LeCun et al. 1998), as {@link fashionMnist}: x `[N, 28, 28, 1]` in [0, 1], y int32. */
export function mnist(options: ImageDatasetOptions = {}): Promise<TensorDataset> {
  return loadIdxDataset(MNIST, options);
}
