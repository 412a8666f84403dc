import * as tf from '@tensorflow/tfjs-core';
import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, NntkError, useBackend } from './index';

function fileWithHeader(json: unknown, dataBytes = 0): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(8 + text.byteLength + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.byteLength), true);
  out.set(text, 8);
  return out;
}

function errorOf(fn: () => unknown): NntkError | undefined {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof NntkError)) throw error;
    return error;
  }
  return undefined;
}

/** Decodes, disposes what came out; returns the output's byte count (0 on a typed error). */
function decodeOrTypedError(bytes: Uint8Array): number {
  let out = 0;
  const error = errorOf(() => {
    const { tensors } = decodeSafetensors(bytes);
    for (const t of Object.values(tensors)) {
      out += t.size * 4;
      t.dispose();
    }
  });
  return error ? 0 : out;
}

describe('safetensors reader hardening (issue 18)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('a dtype that is not a string is a typed UNSUPPORTED_DTYPE error, not a TypeError', () => {
    for (const dtype of [5, null, ['F32'], { F32: 1 }, true]) {
      const error = errorOf(() =>
        decodeSafetensors(fileWithHeader({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, 4)),
      );
      expect(error?.code, JSON.stringify(dtype)).toBe('UNSUPPORTED_DTYPE');
    }
  });

  it('dtypes named like Object.prototype members are not looked up through the prototype chain', () => {
    for (const dtype of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const error = errorOf(() =>
        decodeSafetensors(fileWithHeader({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, 4)),
      );
      expect(error?.code, dtype).toBe('UNSUPPORTED_DTYPE');
      expect(error?.message).toContain(JSON.stringify(dtype));
    }
  });

  it('a tensor named __proto__ survives a round trip as an own entry', async () => {
    const tensors: Record<string, tf.Tensor> = {};
    Object.defineProperty(tensors, '__proto__', {
      value: tf.tensor1d([1, 2]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    tensors.b = tf.tensor1d([3]);
    const bytes = await encodeSafetensors(tensors);
    const back = decodeSafetensors(bytes).tensors;
    expect(Object.keys(back).sort()).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    const own = Object.getOwnPropertyDescriptor(back, '__proto__')?.value as tf.Tensor;
    expect(Array.from(await own.data())).toEqual([1, 2]);
    tf.dispose([...Object.values(tensors), ...Object.values(back)]);
  });

  it('a shape whose element count is not a safe integer is rejected', () => {
    for (const shape of [[2 ** 40, 2 ** 40], [2 ** 53], [1.5], [-1], ['3']]) {
      const error = errorOf(() =>
        decodeSafetensors(fileWithHeader({ w: { dtype: 'F32', shape, data_offsets: [0, 0] } })),
      );
      expect(error?.code, JSON.stringify(shape)).toBe('CORRUPT_CHECKPOINT');
    }
  });

  it('__metadata__ that is null or an array is a typed error', () => {
    for (const metadata of [null, ['a'], 'text', { a: 1 }])
      expect(errorOf(() => decodeSafetensors(fileWithHeader({ __metadata__: metadata })))?.code).toBe(
        'CORRUPT_CHECKPOINT',
      );
  });

  describe('fuzzed (fast-check): every input decodes or ends in a typed NntkError', () => {
    const names = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('__proto__', 'constructor', 'toString', '__metadata__'),
    );
    const dtype = fc.oneof(
      fc.constantFrom('F32', 'F64', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL'),
      fc.constantFrom('constructor', 'toString', '__proto__', 'f32', ''),
      fc.anything({ maxDepth: 1 }),
    );
    const dim = fc.oneof(fc.nat(4), fc.constantFrom(2 ** 31, 2 ** 53, -1, 0.5), fc.anything({ maxDepth: 0 }));
    const entry = fc.record(
      {
        dtype,
        shape: fc.oneof(fc.array(dim, { maxLength: 4 }), fc.anything({ maxDepth: 1 })),
        data_offsets: fc.oneof(fc.tuple(fc.nat(64), fc.nat(64)), fc.anything({ maxDepth: 1 })),
      },
      { requiredKeys: [] },
    );
    const header = fc.dictionary(names, fc.oneof(entry, fc.anything({ maxDepth: 2 })), { maxKeys: 4 });

    it('random bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
          expect(decodeOrTypedError(bytes)).toBeLessThanOrEqual(4 * bytes.byteLength);
        }),
        { numRuns: 2000 },
      );
    });

    it('generated headers (hostile names, dtypes, shapes, offsets)', () => {
      fc.assert(
        fc.property(header, fc.nat(256), (json, dataBytes) => {
          const bytes = fileWithHeader(json, dataBytes);
          expect(decodeOrTypedError(bytes)).toBeLessThanOrEqual(4 * bytes.byteLength);
        }),
        { numRuns: 2000 },
      );
    });

    it('mutated valid files (flipped, truncated, spliced bytes)', async () => {
      const valid = await encodeSafetensors({
        w: tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        n: tf.tensor1d([7, 8, 9], 'int32'),
      });
      const mutation = fc.oneof(
        fc.record({
          kind: fc.constant('flip' as const),
          at: fc.nat(valid.byteLength - 1),
          value: fc.nat(255),
        }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat(valid.byteLength) }),
        fc.record({
          kind: fc.constant('splice' as const),
          at: fc.nat(valid.byteLength),
          bytes: fc.uint8Array({ maxLength: 16 }),
        }),
      );
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
          let bytes = valid.slice();
          for (const m of mutations) {
            if (m.kind === 'flip') bytes[Math.min(m.at, bytes.byteLength - 1)] = m.value;
            else if (m.kind === 'cut') bytes = bytes.slice(0, m.at);
            else bytes = new Uint8Array([...bytes.slice(0, m.at), ...m.bytes, ...bytes.slice(m.at)]);
            if (bytes.byteLength === 0) break;
          }
          const before = tf.memory().numTensors;
          expect(decodeOrTypedError(bytes)).toBeLessThanOrEqual(4 * bytes.byteLength);
          expect(tf.memory().numTensors).toBe(before);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
