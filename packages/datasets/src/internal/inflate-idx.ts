import { NntkError } from '@nntk/core';
import { type IdxData, parseIdx } from './idx';

/** Deflate cannot expand data by more than about 1032:1, so a header promising more is a lie. */
export const MAX_DEFLATE_RATIO = 1032;

function notGzip(file: string, error: unknown): NntkError {
  return new NntkError(
    'CORRUPT_DATA',
    `${file}: not a valid gzip file (${(error as Error).message}). Fetch it again or pass an intact copy.`,
    { cause: error },
  );
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Reads a gzip-compressed IDX file with the web platform's `DecompressionStream` (browsers, Node 18+),
 * as bounded as the Node reader: the stream is read until the header is there, its magic number and
 * dimensions are checked, and reading stops with an error as soon as the output passes the size the
 * header promises (itself capped by deflate's maximum ratio to the compressed size). A gzip bomb is
 * rejected after a few kilobytes instead of filling memory.
 */
export async function inflateIdx(compressed: Uint8Array, file: string, rank: number): Promise<IdxData> {
  const headerBytes = 4 + 4 * rank;
  const reader = new Blob([compressed.slice()])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'))
    .getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let promised: number | undefined;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        throw notGzip(file, error);
      }
      if (next.done) break;
      chunks.push(next.value);
      length += next.value.length;
      if (promised === undefined && length >= headerBytes) {
        const head = concat(chunks, length).subarray(0, headerBytes);
        const { dims } = parseIdx(head, file, rank, { headerOnly: true });
        promised = headerBytes + dims.reduce((a, b) => a * b, 1);
        if (promised > MAX_DEFLATE_RATIO * compressed.length + 1024) {
          throw new NntkError(
            'CORRUPT_DATA',
            `${file}: header promises ${promised} bytes (${dims.join(' x ')}) but ${compressed.length} compressed bytes cannot inflate to that. Fetch the file again.`,
          );
        }
      }
      if (promised !== undefined && length > promised) {
        throw new NntkError(
          'CORRUPT_DATA',
          `${file}: inflates to more than the ${promised} bytes its header promises. Fetch the file again.`,
        );
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return parseIdx(concat(chunks, length), file, rank);
}

/** An IDX file as bytes, gzip-compressed (the official `.gz` files) or not: its data and dimensions. */
export function readIdxBytes(bytes: Uint8Array, file: string, rank: number): Promise<IdxData> {
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return gzip ? inflateIdx(bytes, file, rank) : Promise.resolve(parseIdx(bytes, file, rank));
}
