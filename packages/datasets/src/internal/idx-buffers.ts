import { NntkError } from '@nntk/core';
import type { TensorDataset } from '../tensor-dataset';
import { idxTensorDataset } from './idx-tensor-dataset';
import { readIdxBytes } from './inflate-idx';

/** Bytes as a browser has them: an `ArrayBuffer`, a typed array, a `Blob` / `File` (an `<input type=file>`) or a fetch `Response`. */
export type BinarySource = ArrayBuffer | ArrayBufferView | Blob | Response;

/** The image and label files of one split of an IDX data set (gzip-compressed or not). */
export interface IdxBuffers {
  images: BinarySource;
  labels: BinarySource;
}

/** The bytes of a {@link BinarySource}. */
export async function bytesOf(source: BinarySource, what: string): Promise<Uint8Array> {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof Blob !== 'undefined' && source instanceof Blob)
    return new Uint8Array(await source.arrayBuffer());
  if (typeof Response !== 'undefined' && source instanceof Response) {
    if (!source.ok) {
      throw new NntkError(
        source.status === 404 ? 'FILE_NOT_FOUND' : 'IO_ERROR',
        `${what}: the response for ${source.url || 'the file'} is HTTP ${source.status}`,
      );
    }
    return new Uint8Array(await source.arrayBuffer());
  }
  throw new NntkError(
    'INVALID_OPTION',
    `${what}: expected an ArrayBuffer, a typed array, a Blob/File or a Response, got ${Object.prototype.toString.call(source)}`,
  );
}

/** An IDX data set (MNIST format) from the bytes of its image and label files. */
export async function idxDatasetFromBuffers(title: string, buffers: IdxBuffers): Promise<TensorDataset> {
  if (buffers == null || typeof buffers !== 'object' || !('images' in buffers) || !('labels' in buffers)) {
    throw new NntkError(
      'INVALID_OPTION',
      `${title}: pass { images, labels }, the bytes of the two IDX files`,
    );
  }
  const images = await readIdxBytes(await bytesOf(buffers.images, `${title} images`), `${title} images`, 3);
  const labels = await readIdxBytes(await bytesOf(buffers.labels, `${title} labels`), `${title} labels`, 1);
  return idxTensorDataset(title, images, labels, 'the buffers given');
}
