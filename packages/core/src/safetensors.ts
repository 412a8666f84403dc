import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from './errors';

/** A file's tensors and its `__metadata__` string map. */
export interface SafetensorsContent {
  tensors: Record<string, tf.Tensor>;
  metadata: Record<string, string>;
}

type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

const WRITE_DTYPE: Partial<Record<tf.DataType, SafetensorsDtype>> = {
  float32: 'F32',
  int32: 'I32',
  bool: 'BOOL',
};

/** The largest JSON header accepted (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

/** Sets `record[key]` as an own data property, so names like `__proto__` are kept and never reach a prototype. */
function defineOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function isSafetensorsDtype(dtype: unknown): dtype is SafetensorsDtype {
  return typeof dtype === 'string' && Object.hasOwn(BYTES_PER_ELEMENT, dtype);
}

function corrupt(message: string): NntkError {
  return new NntkError('CORRUPT_CHECKPOINT', `safetensors: ${message}`);
}

function tensorBytes(tensor: tf.Tensor, values: tf.TypedArray): Uint8Array {
  if (tensor.dtype === 'bool') return Uint8Array.from(values as Uint8Array | Int32Array, (v) => (v ? 1 : 0));
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}

/**
 * Serialises tensors to the safetensors layout: an 8-byte little-endian header length, a JSON header
 * with dtype, shape and data offsets (plus a `__metadata__` string map), then the raw little-endian data.
 * float32, int32 and bool tensors are written as F32, I32 and BOOL. The bytes are a plain `ArrayBuffer`'s,
 * so `new Blob([bytes])` makes a download of them in a browser.
 */
export async function encodeSafetensors(
  tensors: Record<string, tf.Tensor>,
  metadata: Record<string, string> = {},
): Promise<Uint8Array<ArrayBuffer>> {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') {
      throw new NntkError(
        'INVALID_OPTION',
        `safetensors: metadata values must be strings; '${key}' is ${typeof value}`,
      );
    }
  }
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) defineOwn(header, '__metadata__', metadata);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of Object.keys(tensors).sort()) {
    const tensor = tensors[name];
    const dtype = WRITE_DTYPE[tensor.dtype];
    if (!dtype)
      throw new NntkError(
        'UNSUPPORTED_DTYPE',
        `safetensors: tensor '${name}' has dtype ${tensor.dtype}; only float32, int32 and bool can be saved`,
      );
    const bytes = tensorBytes(tensor, (await tensor.data()) as tf.TypedArray);
    defineOwn(header, name, {
      dtype,
      shape: tensor.shape,
      data_offsets: [offset, offset + bytes.byteLength],
    });
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  while ((encoder.encode(json).byteLength + 8) % 8 !== 0) json += ' ';
  const headerBytes = encoder.encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.byteLength;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.byteLength;
  }
  return out;
}

interface HeaderEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data_offsets: [number, number];
}

function parseHeader(bytes: Uint8Array): {
  entries: [string, HeaderEntry][];
  metadata: Record<string, string>;
  dataStart: number;
} {
  if (bytes.byteLength < 8)
    throw corrupt(`file is ${bytes.byteLength} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES)
    throw corrupt(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (8 + headerLength > bytes.byteLength) {
    throw corrupt(
      `header claims ${headerLength} bytes but the file holds only ${bytes.byteLength - 8} after the length (truncated file?)`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (error) {
    throw corrupt(`header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw corrupt('header is not a JSON object');
  const rawMetadata: unknown = Object.hasOwn(header, '__metadata__') ? header.__metadata__ : {};
  if (
    rawMetadata === null ||
    typeof rawMetadata !== 'object' ||
    Array.isArray(rawMetadata) ||
    Object.values(rawMetadata).some((v) => typeof v !== 'string')
  ) {
    throw corrupt('__metadata__ must be a map of strings');
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawMetadata)) defineOwn(metadata, key, value as string);
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, entry]) => [name, validateEntry(name, entry)] as [string, HeaderEntry]);
  return { entries, metadata, dataStart: 8 + headerLength };
}

function validateEntry(name: string, entry: unknown): HeaderEntry {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry))
    throw corrupt(`entry '${name}' is not an object`);
  const e = entry as Partial<Record<keyof HeaderEntry, unknown>>;
  if (!isSafetensorsDtype(e.dtype)) {
    throw new NntkError(
      'UNSUPPORTED_DTYPE',
      `safetensors: tensor '${name}' has dtype ${JSON.stringify(e.dtype)}; nntk reads ${Object.keys(BYTES_PER_ELEMENT).join(', ')}`,
    );
  }
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw corrupt(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
  }
  const elements = shape.reduce((a: number, b: number) => a * b, 1);
  const expected = elements * BYTES_PER_ELEMENT[e.dtype];
  if (!Number.isSafeInteger(expected)) {
    throw corrupt(
      `tensor '${name}' has shape [${shape}], whose byte size is not a safe integer (at most 2^53 - 1)`,
    );
  }
  const offsets = e.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[1] < offsets[0]
  ) {
    throw corrupt(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  if (offsets[1] - offsets[0] !== expected) {
    throw corrupt(
      `tensor '${name}' (${e.dtype} [${shape}]) needs ${expected} bytes but its offsets span ${offsets[1] - offsets[0]}`,
    );
  }
  return { dtype: e.dtype, shape, data_offsets: [offsets[0], offsets[1]] };
}

function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeValues(
  name: string,
  dtype: SafetensorsDtype,
  raw: Uint8Array,
): { values: tf.TypedArray; dtype: tf.DataType } {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = raw.byteLength / BYTES_PER_ELEMENT[dtype];
  const floats = (read: (i: number) => number) => ({
    values: Float32Array.from({ length: n }, (_, i) => read(i)),
    dtype: 'float32' as const,
  });
  const ints = (read: (i: number) => number) => ({
    values: Int32Array.from({ length: n }, (_, i) => read(i)),
    dtype: 'int32' as const,
  });
  switch (dtype) {
    case 'F32':
      return floats((i) => view.getFloat32(4 * i, true));
    case 'F64':
      return floats((i) => view.getFloat64(8 * i, true));
    case 'F16':
      return floats((i) => float16ToFloat32(view.getUint16(2 * i, true)));
    case 'BF16':
      return floats((i) => new Float32Array(new Uint32Array([view.getUint16(2 * i, true) << 16]).buffer)[0]);
    case 'I32':
      return ints((i) => view.getInt32(4 * i, true));
    case 'I16':
      return ints((i) => view.getInt16(2 * i, true));
    case 'I8':
      return ints((i) => view.getInt8(i));
    case 'U8':
      return ints((i) => view.getUint8(i));
    case 'I64':
      return ints((i) => {
        const value = view.getBigInt64(8 * i, true);
        if (value > 2147483647n || value < -2147483648n)
          throw corrupt(`tensor '${name}' (I64) holds ${value}, outside the int32 range tfjs supports`);
        return Number(value);
      });
    case 'BOOL':
      return { values: Uint8Array.from(raw, (v) => (v ? 1 : 0)), dtype: 'bool' };
  }
}

/**
 * Parses a safetensors buffer, validating the header, the dtypes and every offset, so a truncated or
 * corrupt file raises a `CORRUPT_CHECKPOINT` error instead of yielding a wrong tensor. F64/F16/BF16 load
 * as float32; I64/I16/I8/U8 as int32 (I64 values must fit in int32); BOOL as bool.
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const dataLength = bytes.byteLength - dataStart;
  const spans = entries.map(([, e]) => e.data_offsets).sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  for (const [begin, end] of spans) {
    if (begin !== cursor)
      throw corrupt(`tensor data is not contiguous (a tensor starts at ${begin}, expected ${cursor})`);
    cursor = end;
  }
  if (cursor !== dataLength) {
    throw corrupt(
      `the header describes ${cursor} data bytes but the file holds ${dataLength} (truncated or padded file?)`,
    );
  }
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, entry] of entries) {
    const raw = bytes.subarray(dataStart + entry.data_offsets[0], dataStart + entry.data_offsets[1]);
    const { values, dtype } = decodeValues(name, entry.dtype, raw);
    defineOwn(tensors, name, tf.tensor(values, entry.shape, dtype));
  }
  return { tensors, metadata };
}
