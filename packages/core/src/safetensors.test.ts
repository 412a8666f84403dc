import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import torchWritten from '../../../fixtures/core/torch-written.json';
import {
  decodeSafetensors,
  encodeSafetensors,
  loadSafetensors,
  NntkError,
  saveSafetensors,
  useBackend,
} from './node';
import { expectNoLeak } from './test-utils';

const FIXTURES = new URL('../../../fixtures/core/', import.meta.url);

/** The tensors fixtures/gen_core.py expects in nntk-written.safetensors (keep both in step). */
function interopTensors(): Record<string, tf.Tensor> {
  return {
    weight: tf.tensor2d([
      [1.5, -2],
      [0.25, 3],
    ]),
    step: tf.tensor1d([7], 'int32'),
    mask: tf.tensor1d([1, 0, 1], 'bool'),
  };
}
const INTEROP_METADATA = { format: 'pt', epoch: '3' };

function header(json: unknown, lengthOverride?: number): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(8 + text.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(lengthOverride ?? text.byteLength), true);
  out.set(text, 8);
  return out;
}

function withData(head: Uint8Array, dataBytes: number): Uint8Array {
  const out = new Uint8Array(head.byteLength + dataBytes);
  out.set(head);
  return out;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NntkError);
    return (error as NntkError).code;
  }
  return undefined;
}

describe('safetensors', () => {
  let dir: string;
  beforeAll(async () => {
    await useBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'nntk-safetensors-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips float32, int32 and bool tensors with metadata, leaking nothing', async () => {
    await expectNoLeak(async () => {
      const tensors = {
        a: tf.randomNormal([3, 5]),
        b: tf.tensor1d([1, -2, 3], 'int32'),
        c: tf.tensor1d([1, 0], 'bool'),
        s: tf.scalar(2.5),
      };
      const path = join(dir, 'round.safetensors');
      await saveSafetensors(path, tensors, { epoch: '4' });
      const loaded = await loadSafetensors(path);
      expect(loaded.metadata).toEqual({ epoch: '4' });
      for (const [name, t] of Object.entries(tensors)) {
        expect(loaded.tensors[name].dtype).toBe(t.dtype);
        expect(loaded.tensors[name].shape).toEqual(t.shape);
        expect(Array.from(await loaded.tensors[name].data())).toEqual(Array.from(await t.data()));
      }
      tf.dispose([...Object.values(tensors), ...Object.values(loaded.tensors)]);
    });
  });

  it('writes the exact bytes that PyTorch verifies (fixtures/gen_core.py reads this file)', async () => {
    const tensors = interopTensors();
    const bytes = await encodeSafetensors(tensors, INTEROP_METADATA);
    tf.dispose(Object.values(tensors));
    const fixture = new URL('nntk-written.safetensors', FIXTURES);
    if (process.env.NNTK_WRITE_FIXTURES === '1') await writeFile(fixture, bytes);
    expect(new Uint8Array(await readFile(fixture))).toEqual(bytes);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
  });

  it('reads a file written by PyTorch in the reference layout, converting dtypes', async () => {
    const { tensors, metadata } = await loadSafetensors(
      new URL('torch-written.safetensors', FIXTURES).pathname,
    );
    expect(metadata).toEqual(torchWritten.metadata);
    const expected = torchWritten.tensors as Record<string, { shape: number[]; values: number[] }>;
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(expected).sort());
    expect(tensors.counts.dtype).toBe('int32');
    expect(tensors.flags.dtype).toBe('bool');
    expect(tensors.double.dtype).toBe('float32');
    for (const [name, { shape, values }] of Object.entries(expected)) {
      expect(tensors[name].shape).toEqual(shape);
      const actual = Array.from(await tensors[name].data());
      values.forEach((v, i) => {
        expect(actual[i]).toBeCloseTo(v, 6);
      });
    }
    tf.dispose(Object.values(tensors));
  });

  it('rejects a file shorter than the length prefix', () => {
    expect(codeOf(() => decodeSafetensors(new Uint8Array(5)))).toBe('CORRUPT_CHECKPOINT');
  });

  it('rejects a header that claims more bytes than the file holds', () => {
    expect(() => decodeSafetensors(header({}, 5000))).toThrow(/header claims 5000 bytes/);
  });

  it('rejects a header that is not JSON', () => {
    const bytes = header({});
    bytes.set(new TextEncoder().encode('{x'), 8);
    expect(() => decodeSafetensors(bytes)).toThrow(/not valid UTF-8 JSON/);
  });

  it('rejects truncated tensor data', () => {
    const bytes = withData(header({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }), 12);
    expect(() => decodeSafetensors(bytes)).toThrow(/describes 16 data bytes but the file holds 12/);
  });

  it('rejects offsets that disagree with the shape', () => {
    const bytes = withData(header({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 12] } }), 12);
    expect(() => decodeSafetensors(bytes)).toThrow(/needs 16 bytes but its offsets span 12/);
  });

  it('rejects overlapping or gapped tensors', () => {
    const json = {
      a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] },
      b: { dtype: 'U8', shape: [2], data_offsets: [1, 3] },
    };
    expect(() => decodeSafetensors(withData(header(json), 3))).toThrow(/not contiguous/);
  });

  it('rejects an unknown dtype with UNSUPPORTED_DTYPE', () => {
    const bytes = withData(header({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }), 8);
    expect(codeOf(() => decodeSafetensors(bytes))).toBe('UNSUPPORTED_DTYPE');
  });

  it('says which file was missing or corrupt', async () => {
    const missing = await loadSafetensors(join(dir, 'nope.safetensors')).catch((e) => e);
    expect(missing.code).toBe('FILE_NOT_FOUND');
    const path = join(dir, 'bad.safetensors');
    await writeFile(path, header({}, 99));
    const corrupt = await loadSafetensors(path).catch((e) => e);
    expect(corrupt.code).toBe('CORRUPT_CHECKPOINT');
    expect(corrupt.message).toContain(path);
  });

  it('writes atomically: no temporary file is left and a failed write keeps the old file', async () => {
    const path = join(dir, 'atomic.safetensors');
    const t = tf.ones([2]);
    await saveSafetensors(path, { t });
    const before = await readFile(path);
    const bad = { t, s: tf.tensor1d(['x']) } as Record<string, tf.Tensor>;
    await expect(saveSafetensors(path, bad)).rejects.toThrow(/dtype string/);
    expect(await readFile(path)).toEqual(before);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    tf.dispose([t, bad.s]);
  });
});
