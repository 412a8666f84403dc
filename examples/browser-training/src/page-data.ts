import { NntkError } from '@nntk/core';
import testImages from '../../../packages/datasets/data/t10k-images-idx3-ubyte.gz?url';
import testLabels from '../../../packages/datasets/data/t10k-labels-idx1-ubyte.gz?url';
import trainImages from '../../../packages/datasets/data/train-images-idx3-ubyte.gz?url';
import trainLabels from '../../../packages/datasets/data/train-labels-idx1-ubyte.gz?url';
import { type FashionSubset, loadFashionSubset, SUBSET_FILES, type SubsetFile } from './fashion-subset';

/** Where Vite put each of @nntk/datasets' embedded files (emitted as assets of the page). */
const URLS: Record<SubsetFile, string> = {
  [SUBSET_FILES.trainImages]: trainImages,
  [SUBSET_FILES.trainLabels]: trainLabels,
  [SUBSET_FILES.testImages]: testImages,
  [SUBSET_FILES.testLabels]: testLabels,
};

async function fetchBytes(file: SubsetFile): Promise<Uint8Array> {
  const response = await fetch(URLS[file]);
  if (!response.ok)
    throw new NntkError(
      'FILE_NOT_FOUND',
      `${file}: the page could not fetch ${URLS[file]} (HTTP ${response.status})`,
    );
  return new Uint8Array(await response.arrayBuffer());
}

/** The embedded Fashion-MNIST subset, fetched from the page's own assets. */
export function fetchFashionSubset(): Promise<FashionSubset> {
  return loadFashionSubset(fetchBytes);
}
