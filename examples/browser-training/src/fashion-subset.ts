import { NntkError } from '@nntk/core';
import { TensorDataset } from '@nntk/datasets';

/** The gzip IDX files of the Fashion-MNIST subset that `@nntk/datasets` embeds (its data/ directory). */
export const SUBSET_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export type SubsetFile = (typeof SUBSET_FILES)[keyof typeof SUBSET_FILES];

/** Reads one file's bytes: `fetch` in the page, `readFile` in Node. */
export type ReadBytes = (file: SubsetFile) => Promise<Uint8Array>;

export interface FashionSubset {
  train: TensorDataset;
  test: TensorDataset;
}

/**
 * Inflates gzip bytes with the platform's `DecompressionStream` (browsers, and Node 18+). Bytes without
 * gzip's magic number are returned as they are: a server that sends `.gz` files with
 * `Content-Encoding: gzip` (Vite's dev server does) has the browser inflate them already.
 */
async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The unsigned-byte payload of an IDX file of the given rank, after its magic number and dimensions are checked. */
function idxPayload(raw: Uint8Array, file: string, rank: number): { dims: number[]; data: Uint8Array } {
  const header = 4 + 4 * rank;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.length < header || view.getUint32(0, false) !== 0x0800 + rank)
    throw new NntkError('CORRUPT_DATA', `${file}: not an IDX file of unsigned bytes of rank ${rank}`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (raw.length - header !== size)
    throw new NntkError(
      'CORRUPT_DATA',
      `${file}: the header promises ${size} bytes (${dims.join(' x ')}), the file holds ${raw.length - header}`,
    );
  return { dims, data: raw.subarray(header) };
}

async function split(read: ReadBytes, imagesFile: SubsetFile, labelsFile: SubsetFile, limit?: number) {
  const [imageBytes, labelBytes] = await Promise.all([read(imagesFile), read(labelsFile)]);
  const images = idxPayload(await gunzip(imageBytes), imagesFile, 3);
  const labels = idxPayload(await gunzip(labelBytes), labelsFile, 1);
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count)
    throw new NntkError('CORRUPT_DATA', `${imagesFile}: ${count} images but ${labels.dims[0]} labels`);
  const n = Math.min(count, limit ?? count);
  const pixels = new Float32Array(n * rows * cols);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return new TensorDataset(
    { values: pixels, shape: [rows, cols, 1], dtype: 'float32' },
    { values: Int32Array.from(labels.data.subarray(0, n)), shape: [], dtype: 'int32' },
  );
}

/**
 * The embedded Fashion-MNIST subset (6,000 training and 1,000 test images of the official files) as
 * `TensorDataset`s: x float32 [N, 28, 28, 1] in [0, 1], y int32 [N]. `read` supplies the gzip bytes, so the
 * same code runs in the page (from `fetch`) and in Node (from the package's files).
 */
export async function loadFashionSubset(
  read: ReadBytes,
  limits: { train?: number; test?: number } = {},
): Promise<FashionSubset> {
  const [train, test] = await Promise.all([
    split(read, SUBSET_FILES.trainImages, SUBSET_FILES.trainLabels, limits.train),
    split(read, SUBSET_FILES.testImages, SUBSET_FILES.testLabels, limits.test),
  ]);
  return { train, test };
}
