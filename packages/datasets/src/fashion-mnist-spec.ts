import type { IdxDatasetSpec } from './internal/idx-spec';

/** Fashion-MNIST's official files (Xiao, Rasul and Vollgraf 2017): names, md5s and where they are served. */
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
