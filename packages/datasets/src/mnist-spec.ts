import type { IdxDatasetSpec } from './internal/idx-spec';

/** MNIST's official files (LeCun et al. 1998): names, md5s and the mirror torchvision uses. */
export const MNIST: IdxDatasetSpec = {
  name: 'mnist',
  title: 'MNIST',
  // The mirror torchvision uses; the files and md5s are the originals.
  baseUrl: 'https://ossci-datasets.s3.amazonaws.com/mnist',
  files: {
    train: {
      images: ['train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'],
      labels: ['train-labels-idx1-ubyte.gz', 'd53e105ee54ea40749a09fcbcd1e9432'],
    },
    test: {
      images: ['t10k-images-idx3-ubyte.gz', '9fb629c4189551a2d022fa330f9573f3'],
      labels: ['t10k-labels-idx1-ubyte.gz', 'ec29112dd5afa0611ce80d1b7f02629c'],
    },
  },
};
