import { NntkError } from '@nntk/core';
import { TensorDataset } from '../tensor-dataset';
import type { IdxData } from './idx';

/** Parsed image and label IDX files as a TensorDataset: x float32 [N, rows, cols, 1] in [0, 1], y int32 [N]. */
export function idxTensorDataset(
  title: string,
  images: IdxData,
  labels: IdxData,
  where: string,
): TensorDataset {
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new NntkError('CORRUPT_DATA', `${title}: ${count} images but ${labels.dims[0]} labels in ${where}`);
  }
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return new TensorDataset(
    { values: pixels, shape: [rows, cols, 1], dtype: 'float32' },
    { values: Int32Array.from(labels.data), shape: [], dtype: 'int32' },
  );
}
