import { type IdxDatasetSpec, type ImageDatasetOptions, loadIdxDataset } from './internal/idx-image-dataset';
import type { TensorDataset } from './tensor-dataset';

export const FASHION_MNIST: IdxDatasetSpec = {
  name: 'fashion-mnist',
  title: 'Fashion-MNIST',
  baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com',
  files: {
    train: {
      images: ['train-images-idx3-ubyte.gz', '8d4fb7e6c68d591d4c3dfef9ec88bf0d'],
      labels: ['train-labels-idx1-ubyte.gz', '25c81989df183df01b3e8a0aad5dffbe'],
    },
    test: {
      images: ['t10k-images-idx3-ubyte.gz', 'bef4ecab320f06d8554ea6380940ec79'],
      labels: ['t10k-labels-idx1-ubyte.gz', 'bb300cfdad3c16e7a12a480ee83cd310'],
    },
  },
};

/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test 28×28 grey images of 10 clothing
 * classes, from the official gzip IDX files. x is float32 `[N, 28, 28, 1]` in [0, 1]; y is int32 `[N]`.
 */
export function fashionMnist(options: ImageDatasetOptions = {}): Promise<TensorDataset> {
  return loadIdxDataset(FASHION_MNIST, options);
}
