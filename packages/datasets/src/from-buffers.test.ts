// The browser's data paths (no file system): IDX bytes from ArrayBuffers, Blobs and fetch Responses,
// inflated with DecompressionStream, checked against the Node file reader on the embedded subset.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { NntkError } from '@nntk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inflateIdx } from './internal/inflate-idx';
import {
  embeddedFashionMnist,
  fashionMnistFromBuffers,
  loadFashionMnist,
  loadMnist,
  mnistFromBuffers,
} from './node';
import { EMBEDDED_DIR } from './test-data';

const TEST_FILES = { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' };

function idx(header: number[], payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 * header.length + payload.length);
  const view = new DataView(out.buffer);
  header.forEach((v, i) => {
    view.setUint32(4 * i, v, false);
  });
  out.set(payload, 4 * header.length);
  return out;
}

async function embeddedTestBytes(): Promise<{ images: Uint8Array; labels: Uint8Array }> {
  return {
    images: await readFile(join(EMBEDDED_DIR, TEST_FILES.images)),
    labels: await readFile(join(EMBEDDED_DIR, TEST_FILES.labels)),
  };
}

/** Same bytes (deep equality of 784,000-element typed arrays is slow). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

async function rejection(promise: Promise<unknown>): Promise<NntkError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NntkError);
  return error as NntkError;
}

describe('data sets from bytes (browser path)', () => {
  it('fashionMnistFromBuffers gives exactly what the Node file reader gives, from gzip or raw IDX', async () => {
    const fromFiles = await embeddedFashionMnist({ split: 'test' });
    const { images, labels } = await embeddedTestBytes();
    const sources = [
      { images, labels },
      { images: new Uint8Array(images).buffer, labels },
      { images: new Blob([images.slice()]), labels: new Response(labels.slice()) },
      { images: gunzipSync(images), labels: gunzipSync(labels) },
    ];
    for (const source of sources) {
      const fromBytes = await fashionMnistFromBuffers(source);
      expect(fromBytes.length).toBe(1000);
      expect(fromBytes.x.shape).toEqual(fromFiles.x.shape);
      expect(sameBytes(fromBytes.x.values, fromFiles.x.values)).toBe(true);
      expect(sameBytes(fromBytes.y.values, fromFiles.y.values)).toBe(true);
    }
  });

  it('rejects mismatched counts, non-IDX bytes, truncated gzip and a wrong argument with typed errors', async () => {
    const { images } = await embeddedTestBytes();
    const fewLabels = idx([0x0801, 3], new Uint8Array([1, 2, 3]));
    expect((await rejection(mnistFromBuffers({ images, labels: fewLabels }))).message).toMatch(
      /1000 images but 3 labels/,
    );
    const notIdx = new TextEncoder().encode('<html>not found</html>');
    expect((await rejection(mnistFromBuffers({ images: notIdx, labels: fewLabels }))).code).toBe(
      'CORRUPT_DATA',
    );
    const truncated = images.subarray(0, images.length / 2);
    expect((await rejection(mnistFromBuffers({ images: truncated, labels: fewLabels }))).code).toBe(
      'CORRUPT_DATA',
    );
    const wrongArgument = fashionMnistFromBuffers(JSON.parse('{"images": "train.gz", "labels": 1}'));
    expect((await rejection(wrongArgument)).code).toBe('INVALID_OPTION');
  });

  it('a gzip bomb behind a valid header stops at the size the header promises', async () => {
    const bomb = gzipSync(idx([0x0803, 2, 28, 28], new Uint8Array(32 * 1024 * 1024)));
    expect((await rejection(inflateIdx(bomb, 'bomb.gz', 3))).message).toMatch(
      /inflates to more than the 1584 bytes/,
    );
    const lie = gzipSync(idx([0x0803, 60000, 280, 280], new Uint8Array(10)));
    expect((await rejection(inflateIdx(lie, 'lie.gz', 3))).message).toMatch(/cannot inflate to that/);
    const zeros = gzipSync(new Uint8Array(64 * 1024 * 1024));
    expect((await rejection(inflateIdx(zeros, 'zeros.gz', 3))).message).toMatch(
      /bad magic number 0x00000000/,
    );
  });
});

describe('loadFashionMnist / loadMnist over fetch', () => {
  let server: Server;
  let baseUrl: string;
  const requested: string[] = [];

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const url = request.url ?? '/';
      requested.push(url);
      try {
        if (!/^\/data\/[\w.-]+$/.test(url)) throw new Error('not served');
        const body = await readFile(join(EMBEDDED_DIR, url.slice('/data/'.length)));
        response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fetches the official file names under baseUrl and decodes them', async () => {
    const loaded = await loadFashionMnist({ baseUrl, split: 'test' });
    const fromFiles = await embeddedFashionMnist({ split: 'test' });
    expect(sameBytes(loaded.y.values, fromFiles.y.values)).toBe(true);
    expect(sameBytes(loaded.x.values, fromFiles.x.values)).toBe(true);
    expect(requested).toContain(`/data/${TEST_FILES.images}`);
    expect(requested).toContain(`/data/${TEST_FILES.labels}`);
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const loaded = await loadMnist({
      baseUrl: 'https://example.invalid/mnist',
      split: 'test',
      fetch: async (url) => {
        seen.push(url);
        return new Response(await readFile(join(EMBEDDED_DIR, url.split('/').pop() ?? '')));
      },
    });
    expect(loaded.length).toBe(1000);
    expect(seen).toEqual([
      `https://example.invalid/mnist/${TEST_FILES.images}`,
      `https://example.invalid/mnist/${TEST_FILES.labels}`,
    ]);
  });

  it('a missing file is FILE_NOT_FOUND, an unreachable host IO_ERROR, a bad split INVALID_OPTION', async () => {
    expect((await rejection(loadFashionMnist({ baseUrl: `${baseUrl}missing/`, split: 'test' }))).code).toBe(
      'FILE_NOT_FOUND',
    );
    const unreachable = loadFashionMnist({
      baseUrl,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    expect((await rejection(unreachable)).message).toMatch(/cannot fetch .*Failed to fetch.*baseUrl/);
    const split = loadFashionMnist({ baseUrl, split: 'valid' as 'test' });
    expect((await rejection(split)).code).toBe('INVALID_OPTION');
  });
});
