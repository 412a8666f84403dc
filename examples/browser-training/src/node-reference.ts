import { readFile } from 'node:fs/promises';
import { type FashionSubset, loadFashionSubset } from './fashion-subset';

/** @nntk/datasets' data/ directory, where the embedded subset's gzip files are. */
export const DATASETS_DATA = new URL('../../../packages/datasets/data/', import.meta.url);

/** The embedded subset read from @nntk/datasets' files, through the same loader as the page. */
export function readFashionSubset(): Promise<FashionSubset> {
  return loadFashionSubset(async (file) => new Uint8Array(await readFile(new URL(file, DATASETS_DATA))));
}
