import { FASHION_MNIST } from './fashion-mnist-spec';
import { type FetchDatasetOptions, fetchIdxDataset } from './internal/fetch-idx-dataset';
import type { TensorDataset } from './tensor-dataset';

/**
 * Fetches one split of Fashion-MNIST (the official `.gz` file names under `baseUrl`) and decodes it with
 * {@link fashionMnistFromBuffers}: the browser's counterpart of the Node reader `fashionMnist`, with no
 * file system and no cache (the browser's HTTP cache applies). Serve the four files from your app (the
 * official host sends no CORS headers), e.g. `loadFashionMnist({ baseUrl: '/data/fashion-mnist' })`;
 * the 6,000/1,000-image subset this package ships is `@nntk/datasets/data/*`, with the same file names.
 *
 * @throws NntkError `FILE_NOT_FOUND` (HTTP 404), `IO_ERROR` (other HTTP errors, network or CORS
 *   failures), `CORRUPT_DATA` (not IDX), `INVALID_OPTION` (a split other than 'train' or 'test').
 */
export function loadFashionMnist(options: FetchDatasetOptions = {}): Promise<TensorDataset> {
  return fetchIdxDataset(FASHION_MNIST, options);
}
