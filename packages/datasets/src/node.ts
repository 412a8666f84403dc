// @nntk/datasets' Node entry (the `node` export condition, and `@nntk/datasets/node`): the whole
// browser-safe API of ./index plus the readers of data set files on disk, with verified downloads into
// a cache directory, and the Fashion-MNIST subset read from this package's data/ directory.
export { cifar10 } from './cifar10';
export { embeddedFashionMnist } from './embedded-fashion-mnist';
export { fashionMnist } from './fashion-mnist';
export * from './index';
export { mnist } from './mnist';
