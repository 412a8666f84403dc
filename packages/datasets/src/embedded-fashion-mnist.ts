import { fileURLToPath } from 'node:url';
import { FASHION_MNIST } from './fashion-mnist-spec';
import { loadIdxDataset } from './internal/idx-image-dataset';
import type { TensorDataset } from './tensor-dataset';

/** md5s of the subset files in the package's data/ directory (scripts/make-embedded.mjs writes them). */
const EMBEDDED = {
  ...FASHION_MNIST,
  name: 'fashion-mnist-embedded',
  title: 'Embedded Fashion-MNIST subset',
  files: {
    train: {
      images: ['train-images-idx3-ubyte.gz', '3a1634faeac6387aefddf9b7bf39e5b2'],
      labels: ['train-labels-idx1-ubyte.gz', 'd3c387adc54b7f0db218d0d1fba633d0'],
    },
    test: {
      images: ['t10k-images-idx3-ubyte.gz', '5a60610346241658bd2e34cd09738ada'],
      labels: ['t10k-labels-idx1-ubyte.gz', 'e746d74c3a2a0b76efda9703bf446a0d'],
    },
  },
} as typeof FASHION_MNIST;

/**
 * A real Fashion-MNIST subset shipped inside this package (the first 6,000 training and 1,000 test
 * images of the official files), so demos and quick examples run with no download.
 */
export function embeddedFashionMnist(options: { split?: 'train' | 'test' } = {}): Promise<TensorDataset> {
  const root = fileURLToPath(new URL('../data/', import.meta.url));
  return loadIdxDataset(EMBEDDED, { root, split: options.split });
}
