import { NntkError } from '@nntk/core';
import type { TensorDataset } from '../tensor-dataset';
import { idxDatasetFromBuffers } from './idx-buffers';
import type { IdxDatasetSpec } from './idx-spec';

/** Options of `loadFashionMnist` / `loadMnist`: where the official `.gz` files are served. */
export interface FetchDatasetOptions {
  /**
   * URL of the directory serving the official file names (`train-images-idx3-ubyte.gz`, ...), relative
   * to the page or absolute. Default: the data set's official location (which browsers may refuse
   * without CORS; serve the files from your app's origin instead).
   */
  baseUrl?: string | URL;
  split?: 'train' | 'test';
  /** The fetch to use (default `globalThis.fetch`), e.g. one that adds headers or reads a cache. */
  fetch?: (url: string) => Promise<Response>;
}

function fileUrl(baseUrl: string | URL, name: string): string {
  const base = String(baseUrl);
  return `${base.replace(/\/$/, '')}/${name}`;
}

/** Fetches one split of an IDX data set and decodes it (no file system: browsers, workers, Node). */
export async function fetchIdxDataset(
  spec: IdxDatasetSpec,
  options: FetchDatasetOptions,
): Promise<TensorDataset> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test')
    throw new NntkError(
      'INVALID_OPTION',
      `${spec.title}: option 'split' must be 'train' or 'test', got ${JSON.stringify(split)}`,
    );
  const doFetch = options.fetch ?? globalThis.fetch;
  const { images, labels } = spec.files[split];
  const get = async (name: string) => {
    const url = fileUrl(options.baseUrl ?? spec.baseUrl, name);
    try {
      return await doFetch(url);
    } catch (error) {
      throw new NntkError(
        'IO_ERROR',
        `${spec.title}: cannot fetch ${url}: ${String((error as Error)?.message ?? error)}. In a browser, serve the files from the page's origin (or with CORS headers) and pass { baseUrl }.`,
        { cause: error },
      );
    }
  };
  const [imageResponse, labelResponse] = await Promise.all([get(images[0]), get(labels[0])]);
  return idxDatasetFromBuffers(spec.title, { images: imageResponse, labels: labelResponse });
}
