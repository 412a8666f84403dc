import { FASHION_MNIST } from './fashion-mnist-spec';
import { type IdxBuffers, idxDatasetFromBuffers } from './internal/idx-buffers';
import type { TensorDataset } from './tensor-dataset';

/**
 * Fashion-MNIST (Xiao et al. 2017) from the bytes of its two IDX files of one split, as a browser has
 * them: `ArrayBuffer`s, typed arrays, `Blob`s / `File`s (an `<input type=file>`, a drop) or fetch
 * `Response`s; gzip-compressed (the official `.gz` files, inflated with `DecompressionStream`, bounded
 * against gzip bombs) or not. x float32 `[N, 28, 28, 1]` in [0, 1], y int32 `[N]`, as `fashionMnist`.
 * No file system: works in browsers, workers and Node.
 *
 * @throws NntkError `CORRUPT_DATA` for a bad magic number, a truncated file or image and label counts
 *   that differ; `FILE_NOT_FOUND` / `IO_ERROR` for a `Response` that is not OK.
 */
export function fashionMnistFromBuffers(buffers: IdxBuffers): Promise<TensorDataset> {
  return idxDatasetFromBuffers(FASHION_MNIST.title, buffers);
}
