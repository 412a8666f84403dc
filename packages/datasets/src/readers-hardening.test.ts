import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { NntkError } from '@nntk/core';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readIdxGzip } from './internal/idx-gzip';
import { cifar10, decodeCifarBatch, fashionMnist } from './node';

/** The largest buffer any gunzipSync call returned: the readers' inflation bound is checked on it. */
let largestInflate = 0;
vi.mock('node:zlib', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:zlib')>();
  return {
    ...actual,
    gunzipSync: (...args: Parameters<typeof actual.gunzipSync>) => {
      const out = actual.gunzipSync(...args);
      largestInflate = Math.max(largestInflate, out.length);
      return out;
    },
  };
});

function idx(header: number[], payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 * header.length + payload.length);
  const view = new DataView(out.buffer);
  header.forEach((v, i) => {
    view.setUint32(4 * i, v, false);
  });
  out.set(payload, 4 * header.length);
  return out;
}

function typedOrOk(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof NntkError)) throw error;
  }
}

describe('IDX reader: bounded inflation and typed errors (issue 18)', () => {
  it('a gzip bomb with a wrong magic number is rejected after inflating only its header', () => {
    const bomb = zlib.gzipSync(new Uint8Array(64 * 1024 * 1024));
    largestInflate = 0;
    expect(() => readIdxGzip(bomb, 'bomb.gz', 3)).toThrow(/bad magic number 0x00000000/);
    expect(largestInflate).toBeLessThan(1024 * 1024);
  });

  it('a bomb behind a valid header stops at the size the header promises', () => {
    const body = new Uint8Array(32 * 1024 * 1024);
    const bomb = zlib.gzipSync(idx([0x0803, 2, 28, 28], body));
    largestInflate = 0;
    expect(() => readIdxGzip(bomb, 'bomb.gz', 3)).toThrow(/inflates to more than the 1584 bytes/);
    expect(largestInflate).toBeLessThanOrEqual(1584 + 64 * 1032 + 1024);
  });

  it('a header promising more than the compressed size can hold is rejected before inflating', () => {
    const lie = zlib.gzipSync(idx([0x0803, 60000, 280, 280], new Uint8Array(10)));
    largestInflate = 0;
    expect(() => readIdxGzip(lie, 'lie.gz', 3)).toThrow(/cannot inflate to that/);
    expect(largestInflate).toBeLessThan(1024 * 1024);
  });

  it('fuzzed: random bytes, gzipped random bytes and mutated valid files all end in NntkError or parse', () => {
    const valid = zlib.gzipSync(
      idx(
        [0x0803, 2, 3, 3],
        Uint8Array.from({ length: 18 }, (_, i) => i),
      ),
    );
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      fc.uint8Array({ maxLength: 256 }).map((b) => new Uint8Array(zlib.gzipSync(b))),
      fc
        .tuple(fc.array(fc.nat(0xffffffff), { maxLength: 5 }), fc.uint8Array({ maxLength: 64 }))
        .map(([h, p]) => new Uint8Array(zlib.gzipSync(idx(h, p)))),
      fc
        .array(fc.tuple(fc.nat(valid.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 })
        .map((flips) => {
          const b = valid.slice();
          for (const [at, v] of flips) b[at] = v;
          return b;
        }),
    );
    fc.assert(
      fc.property(input, fc.constantFrom(1, 3), (bytes, rank) => {
        largestInflate = 0;
        typedOrOk(() => readIdxGzip(bytes, 'fuzz.gz', rank));
        expect(largestInflate).toBeLessThanOrEqual(1032 * bytes.length + 1024);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('CIFAR-10 reader: typed errors (issue 18)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nntk-cifar-hard-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a directory where a batch file should be is an IO_ERROR naming the file, not a raw EISDIR', async () => {
    await mkdir(join(dir, 'test_batch.bin'));
    const error = await cifar10({ root: dir, split: 'test' }).catch((e) => e);
    expect(error).toBeInstanceOf(NntkError);
    expect(error.code).toBe('IO_ERROR');
    expect(error.message).toContain(join(dir, 'test_batch.bin'));
    expect(error.message).toContain('EISDIR');
  });

  it('a directory where an IDX file should be is an IO_ERROR too', async () => {
    await mkdir(join(dir, 'train-images-idx3-ubyte.gz'));
    await writeFile(
      join(dir, 'train-labels-idx1-ubyte.gz'),
      zlib.gzipSync(idx([0x0801, 0], new Uint8Array())),
    );
    const error = await fashionMnist({ root: dir }).catch((e) => e);
    expect(error.code).toBe('IO_ERROR');
    expect(error.message).toContain('EISDIR');
  });

  it('fuzzed: any bytes decode or end in CORRUPT_DATA', () => {
    const record = 3073;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2 * record + 5 }),
          fc.nat(2).chain((n) => fc.uint8Array({ minLength: n * record, maxLength: n * record })),
        ),
        (bytes) => {
          try {
            const { labels } = decodeCifarBatch(bytes, 'fuzz.bin');
            expect(labels.length * record).toBe(bytes.length);
          } catch (error) {
            expect(error).toBeInstanceOf(NntkError);
            expect((error as NntkError).code).toBe('CORRUPT_DATA');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
