import { type FetchDatasetOptions, fetchIdxDataset } from './internal/fetch-idx-dataset';
import { MNIST } from './mnist-spec';
import type { TensorDataset } from './tensor-dataset';

/** Fetches one split of MNIST and decodes it, as {@link loadFashionMnist}. */
export function loadMnist(options: FetchDatasetOptions = {}): Promise<TensorDataset> {
  return fetchIdxDataset(MNIST, options);
}
