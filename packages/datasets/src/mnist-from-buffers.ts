import { type IdxBuffers, idxDatasetFromBuffers } from './internal/idx-buffers';
import { MNIST } from './mnist-spec';
import type { TensorDataset } from './tensor-dataset';

/** MNIST (LeCun et al. 1998) from the bytes of its two IDX files, as {@link fashionMnistFromBuffers}. */
export function mnistFromBuffers(buffers: IdxBuffers): Promise<TensorDataset> {
  return idxDatasetFromBuffers(MNIST.title, buffers);
}
