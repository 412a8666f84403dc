import { constants, gunzipSync } from 'node:zlib';
import { NntkError } from '@nntk/core';
import { type IdxData, parseIdx } from './idx';

/** Deflate cannot expand data by more than about 1032:1, so a header promising more is a lie. */
const MAX_DEFLATE_RATIO = 1032;

function notGzip(file: string, error: unknown): NntkError {
  return new NntkError(
    'CORRUPT_DATA',
    `${file}: not a valid gzip file (${(error as Error).message}). Delete it and download it again.`,
    { cause: error },
  );
}

/** Inflates only as much of the stream as it takes to see `wanted` bytes (the IDX header). */
function inflatePrefix(compressed: Uint8Array, wanted: number, file: string): Uint8Array {
  for (let take = 64; ; take *= 4) {
    const part = compressed.subarray(0, Math.min(take, compressed.length));
    let out: Uint8Array;
    try {
      out = gunzipSync(part, {
        finishFlush: constants.Z_SYNC_FLUSH,
        maxOutputLength: MAX_DEFLATE_RATIO * part.length + 1024,
      });
    } catch (error) {
      throw notGzip(file, error);
    }
    if (out.length >= wanted || part.length === compressed.length) return out;
  }
}

/**
 * Reads a gzip-compressed IDX file with bounded inflation: the header is inflated first and its magic
 * number and dimensions checked, then the stream is inflated with a cap of exactly the size the header
 * promises (itself capped by deflate's maximum ratio to the compressed size). A gzip bomb is rejected
 * after a few kilobytes instead of filling memory.
 */
export function readIdxGzip(compressed: Uint8Array, file: string, rank: number): IdxData {
  const headerBytes = 4 + 4 * rank;
  const head = inflatePrefix(compressed, headerBytes, file);
  // Validates magic and rank on the header alone (parseIdx reports the payload size it expects).
  if (head.length < headerBytes) return parseIdx(head, file, rank);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  parseIdx(head.subarray(0, headerBytes), file, rank, { headerOnly: true });
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const promised = headerBytes + dims.reduce((a, b) => a * b, 1);
  if (promised > MAX_DEFLATE_RATIO * compressed.length + 1024) {
    throw new NntkError(
      'CORRUPT_DATA',
      `${file}: header promises ${promised} bytes (${dims.join(' x ')}) but ${compressed.length} compressed bytes cannot inflate to that. Delete the file and download it again.`,
    );
  }
  let raw: Uint8Array;
  try {
    raw = gunzipSync(compressed, { maxOutputLength: promised });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new NntkError(
        'CORRUPT_DATA',
        `${file}: inflates to more than the ${promised} bytes its header promises (${dims.join(' x ')}). Delete the file and download it again.`,
        { cause: error },
      );
    }
    throw notGzip(file, error);
  }
  return parseIdx(raw, file, rank);
}
