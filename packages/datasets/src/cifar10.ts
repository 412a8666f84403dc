import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ioError, NntkError } from '@nntk/core';
import { writeFileAtomic } from '@nntk/core/node';
import { decodeCifarBatch } from './decode-cifar-batch';
import { dataDirectory } from './internal/data-dir';
import { downloadFile } from './internal/download';
import type { ImageDatasetOptions } from './internal/idx-image-dataset';
import { readTar } from './internal/tar';
import { TensorDataset } from './tensor-dataset';

const ARCHIVE = {
  name: 'cifar-10-binary.tar.gz',
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  md5: 'c32a1d4ab5d03f1284b67883e8d87530',
};
const FILES = { train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`), test: ['test_batch.bin'] };

async function readBatchFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw ioError('CIFAR-10', path, error);
  }
}

async function fetchArchive(directory: string, options: ImageDatasetOptions): Promise<void> {
  const archivePath = join(directory, ARCHIVE.name);
  const url = options.baseUrl ? `${options.baseUrl.replace(/\/$/, '')}/${ARCHIVE.name}` : ARCHIVE.url;
  await downloadFile({ ...ARCHIVE, url }, archivePath, options.onProgress);
  const files = readTar(gunzipSync(await readFile(archivePath)));
  await mkdir(directory, { recursive: true });
  for (const [path, data] of files) {
    const name = path.split('/').pop() as string;
    if (name.endsWith('.bin') || name.endsWith('.txt')) await writeFileAtomic(join(directory, name), data);
  }
  await rm(archivePath, { force: true });
}

/**
 * CIFAR-10 (Krizhevsky 2009) from its binary batches (`data_batch_1.bin` … `data_batch_5.bin`,
 * `test_batch.bin`) in `root` or `$NNTK_DATA_DIR/cifar10/`: x float32 `[N, 32, 32, 3]` in [0, 1], y int32.
 * `download: true` fetches the official archive, checks its md5 and extracts it.
 */
export async function cifar10(options: ImageDatasetOptions = {}): Promise<TensorDataset> {
  const split = options.split ?? 'train';
  const directory = dataDirectory('cifar10', options.root);
  const names = FILES[split];
  if (!names)
    throw new NntkError(
      'INVALID_OPTION',
      `CIFAR-10: option 'split' must be 'train' or 'test', got ${JSON.stringify(split)}`,
    );
  const missing = () => names.filter((n) => !existsSync(join(directory, n)));
  if (missing().length > 0) {
    if (!options.download) {
      throw new NntkError(
        'FILE_NOT_FOUND',
        `CIFAR-10: files missing in ${directory}: ${missing().join(', ')}. Place the binary batches there (extract ${ARCHIVE.url}, md5 ${ARCHIVE.md5}), set NNTK_DATA_DIR to a directory containing cifar10/, or pass { download: true }.`,
      );
    }
    await fetchArchive(directory, options);
  }
  const parts = await Promise.all(
    names.map(async (n) => decodeCifarBatch(await readBatchFile(join(directory, n)), join(directory, n))),
  );
  const total = parts.reduce((s, p) => s + p.labels.length, 0);
  const pixels = new Float32Array(total * 3072);
  const labels = new Int32Array(total);
  let offset = 0;
  for (const part of parts) {
    pixels.set(part.pixels, offset * 3072);
    labels.set(part.labels, offset);
    offset += part.labels.length;
  }
  return new TensorDataset(
    { values: pixels, shape: [32, 32, 3], dtype: 'float32' },
    { values: labels, shape: [], dtype: 'int32' },
  );
}
