import { NntkError } from '@nntk/core';

/** A parsed IDX file (LeCun's format for MNIST): unsigned bytes and their dimensions. */
export interface IdxData {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses an (uncompressed) IDX file of unsigned bytes, validating the magic number, the number of
 * dimensions and that the payload holds exactly the items the header claims (`headerOnly`: only the
 * magic number and the rank, for a header inflated ahead of the payload).
 */
export function parseIdx(
  bytes: Uint8Array,
  file: string,
  expectedRank: number,
  options: { headerOnly?: boolean } = {},
): IdxData {
  const fail = (why: string): never => {
    throw new NntkError(
      'CORRUPT_DATA',
      `${file}: ${why}. Delete the file and download it again (or place an intact copy there).`,
    );
  };
  if (bytes.length < 4 + 4 * expectedRank) fail(`file is ${bytes.length} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const expectedMagic = 0x0800 + expectedRank;
  if (magic !== expectedMagic)
    fail(
      `bad magic number 0x${magic.toString(16).padStart(8, '0')} (expected 0x${expectedMagic.toString(16).padStart(8, '0')}, unsigned bytes of rank ${expectedRank})`,
    );
  const dims = Array.from({ length: expectedRank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const headerBytes = 4 + 4 * expectedRank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (options.headerOnly) return { dims, data: bytes.subarray(headerBytes) };
  if (bytes.length - headerBytes !== size)
    fail(
      `header promises ${size} bytes of data (${dims.join(' x ')}) but the file holds ${bytes.length - headerBytes}`,
    );
  return { dims, data: bytes.subarray(headerBytes) };
}
