import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ioError, NntkError } from '@nntk/core';
import type { TensorDataset } from '../tensor-dataset';
import { dataDirectory } from './data-dir';
import { type DownloadProgress, downloadFile, type RemoteFile } from './download';
import { readIdxGzip } from './idx-gzip';
import type { IdxDatasetSpec } from './idx-spec';
import { idxTensorDataset } from './idx-tensor-dataset';

export type { IdxDatasetSpec } from './idx-spec';

export interface ImageDatasetOptions {
  /** Directory holding the official file names. Default `$NNTK_DATA_DIR/<name>`, else the user cache. */
  root?: string;
  split?: 'train' | 'test';
  /** Download missing files (with md5 checks). Default false. */
  download?: boolean;
  /** Overrides the download location (a mirror). */
  baseUrl?: string;
  onProgress?: DownloadProgress;
}

function missingFilesError(
  spec: IdxDatasetSpec,
  directory: string,
  files: RemoteFile[],
  cause?: unknown,
): NntkError {
  const list = files.map((f) => `  ${f.name}  (md5 ${f.md5})  from ${f.url}`).join('\n');
  return new NntkError(
    'FILE_NOT_FOUND',
    `${spec.title}: files missing in ${directory}:\n${list}\n` +
      `Place these files (gzip, official names) in that directory, point NNTK_DATA_DIR at a directory containing ${spec.name}/, ` +
      `or pass { download: true }${cause ? ` (the download failed: ${String((cause as Error).message ?? cause)})` : ''}.`,
    { cause },
  );
}

/** Loads an MNIST-format (gzip IDX) split as a TensorDataset: x float32 [N, 28, 28, 1] in [0, 1], y int32 [N]. */
export async function loadIdxDataset(
  spec: IdxDatasetSpec,
  options: ImageDatasetOptions,
): Promise<TensorDataset> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test')
    throw new NntkError(
      'INVALID_OPTION',
      `${spec.title}: option 'split' must be 'train' or 'test', got ${JSON.stringify(split)}`,
    );
  const directory = dataDirectory(spec.name, options.root);
  const baseUrl = options.baseUrl ?? spec.baseUrl;
  const { images, labels } = spec.files[split];
  const wanted: RemoteFile[] = [images, labels].map(([name, md5]) => ({
    name,
    md5,
    url: `${baseUrl.replace(/\/$/, '')}/${name}`,
  }));
  const missing = wanted.filter((f) => !existsSync(join(directory, f.name)));
  if (missing.length > 0) {
    if (!options.download) throw missingFilesError(spec, directory, missing);
    try {
      for (const file of missing) await downloadFile(file, join(directory, file.name), options.onProgress);
    } catch (error) {
      if (NntkError.isInstance(error) && error.code === 'CORRUPT_DATA') throw error;
      throw missingFilesError(spec, directory, missing, error);
    }
  }
  const read = async (name: string, rank: number) => {
    const path = join(directory, name);
    let compressed: Uint8Array;
    try {
      compressed = await readFile(path);
    } catch (error) {
      throw ioError(spec.title, path, error);
    }
    return readIdxGzip(compressed, path, rank);
  };
  const imageData = await read(images[0], 3);
  const labelData = await read(labels[0], 1);
  return idxTensorDataset(spec.title, imageData, labelData, directory);
}
