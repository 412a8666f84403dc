import { NntkError } from '@nntk/core';

const RECORD = 1 + 32 * 32 * 3;

/** Decodes CIFAR-10 binary records (label byte, then 1024 R, 1024 G, 1024 B bytes) into NHWC floats. */
export function decodeCifarBatch(
  bytes: Uint8Array,
  file: string,
): { pixels: Float32Array; labels: Int32Array } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new NntkError(
      'CORRUPT_DATA',
      `${file}: ${bytes.length} bytes is not a whole number of ${RECORD}-byte CIFAR-10 records (truncated file?)`,
    );
  }
  const count = bytes.length / RECORD;
  const pixels = new Float32Array(count * 3072);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const base = n * RECORD;
    labels[n] = bytes[base];
    if (labels[n] > 9)
      throw new NntkError('CORRUPT_DATA', `${file}: record ${n} has label ${labels[n]}, outside 0..9`);
    for (let p = 0; p < 1024; p++) {
      for (let c = 0; c < 3; c++) pixels[n * 3072 + p * 3 + c] = bytes[base + 1 + c * 1024 + p] / 255;
    }
  }
  return { pixels, labels };
}
