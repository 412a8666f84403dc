import { NntkError } from '@nntk/core';
import { maskedCrc32c } from './crc32c';

/**
 * Frames one record as TFRecord (and so TensorBoard event files) store it, all little-endian:
 * uint64 length, uint32 masked CRC-32C of those 8 bytes, the data, uint32 masked CRC-32C of the data.
 */
export function encodeRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Splits TFRecord bytes into records, checking both CRCs of each; a bad file is a `CORRUPT_DATA` error. */
export function decodeRecords(bytes: Uint8Array, source = 'event file'): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const fail = (what: string) =>
      new NntkError(
        'CORRUPT_DATA',
        `${source}: record at byte ${offset} ${what}; the file is truncated or not a TFRecord file`,
      );
    if (offset + 12 > bytes.length) throw fail('has an incomplete header');
    const length = Number(view.getBigUint64(offset, true));
    if (view.getUint32(offset + 8, true) !== maskedCrc32c(bytes.subarray(offset, offset + 8)))
      throw fail('has a bad length CRC');
    const end = offset + 12 + length;
    if (end + 4 > bytes.length) throw fail(`claims ${length} bytes past the end`);
    const data = bytes.subarray(offset + 12, end);
    if (view.getUint32(end, true) !== maskedCrc32c(data)) throw fail('has a bad data CRC');
    records.push(data);
    offset = end + 4;
  }
  return records;
}
