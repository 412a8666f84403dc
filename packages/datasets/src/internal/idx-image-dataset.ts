import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ioError, NntkError } from '@nntk/core';
import { TensorDataset } from '../tensor-dataset';
import { dataDirectory } from './data-dir';
import { type DownloadProgress, downloadFile, type RemoteFile } from './download';
import { readIdxGzip } from './idx-gzip';

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

export interface IdxDatasetSpec {
  name: string;
  title: string;
  baseUrl: string;
  files: Record<'train' | 'test', { images: [string, string]; labels: [string, string] }>;
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
  const [count, rows, cols] = imageData.dims;
  if (labelData.dims[0] !== count) {
    throw new NntkError(
      'CORRUPT_DATA',
      `${spec.title}: ${count} images but ${labelData.dims[0]} labels in ${directory}`,
    );
  }
  const pixels = new Float32Array(imageData.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = imageData.data[i] / 255;
  return new TensorDataset(
    { values: pixels, shape: [rows, cols, 1], dtype: 'float32' },
    { values: Int32Array.from(labelData.data), shape: [], dtype: 'int32' },
  );
}
