import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifest from '../data/manifest.json';
import { loadIdxDataset } from './internal/idx-image-dataset';
import { MNIST } from './mnist-spec';
import { cifar10, embeddedFashionMnist, fashionMnist, mnist, type TensorDataset } from './node';
import { EMBEDDED_DIR, fullDataDir } from './test-data';

// The full official files, where the checkout has them (NNTK_DATA_DIR or ../shared/data); undefined on
// a fresh clone. The tests that need them say so in their title and run only there; everything else
// runs on the subset embedded in this package or on files the tests write.
const FULL_FASHION = fullDataDir('fashion-mnist');
const FULL_MNIST = fullDataDir('mnist');
const NEEDS_FULL = '(full files: NNTK_DATA_DIR or ../shared/data)';

/** Sum of the raw 0..255 pixel bytes, recovered from the [0, 1] floats. */
function pixelSum(d: TensorDataset): number {
  let sum = 0;
  for (const v of d.x.values) sum += Math.round(v * 255);
  return sum;
}

function classCounts(d: TensorDataset): number[] {
  const counts = new Array(10).fill(0);
  for (const y of d.y.values) counts[y]++;
  return counts;
}

describe('real data sets', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it.runIf(FULL_FASHION)(
    `Fashion-MNIST train and test through NNTK_DATA_DIR: shapes, dtypes, 6,000 per class, pixel checksums ${NEEDS_FULL}`,
    async () => {
      const saved = process.env.NNTK_DATA_DIR;
      process.env.NNTK_DATA_DIR = dirname(FULL_FASHION ?? '');
      try {
        const train = await fashionMnist({ split: 'train' });
        expect(train.length).toBe(60_000);
        expect(train.x.shape).toEqual([28, 28, 1]);
        expect(train.x.dtype).toBe('float32');
        expect(train.y.dtype).toBe('int32');
        expect(classCounts(train)).toEqual(new Array(10).fill(6000));
        expect(pixelSum(train)).toBe(3_431_114_169);
        const test = await fashionMnist({ split: 'test' });
        expect(test.length).toBe(10_000);
        expect(pixelSum(test)).toBe(573_469_082);
      } finally {
        if (saved === undefined) delete process.env.NNTK_DATA_DIR;
        else process.env.NNTK_DATA_DIR = saved;
      }
    },
  );

  it.runIf(FULL_MNIST)(`MNIST through root: counts and checksums ${NEEDS_FULL}`, async () => {
    const train = await mnist({ root: FULL_MNIST });
    expect(train.length).toBe(60_000);
    expect(classCounts(train).slice(0, 3)).toEqual([5923, 6742, 5958]);
    expect(pixelSum(train)).toBe(1_567_298_545);
    const test = await mnist({ root: FULL_MNIST, split: 'test' });
    expect(pixelSum(test)).toBe(264_923_200);
  });

  it.runIf(FULL_FASHION)(
    `the embedded subset is the first 6,000 / 1,000 real images ${NEEDS_FULL}`,
    async () => {
      const train = await embeddedFashionMnist();
      const test = await embeddedFashionMnist({ split: 'test' });
      expect([train.length, test.length]).toEqual([6000, 1000]);
      const full = await fashionMnist({ root: FULL_FASHION, split: 'test' });
      expect(Array.from(test.x.values.subarray(0, 784 * 3))).toEqual(
        Array.from(full.x.values.subarray(0, 784 * 3)),
      );
      expect(Array.from(test.y.values)).toEqual(Array.from(full.y.values.subarray(0, 1000)));
    },
  );

  it('the embedded subset: shapes, dtypes, class counts and pixel checksums', async () => {
    const train = await embeddedFashionMnist();
    expect(train.length).toBe(6000);
    expect(train.x.shape).toEqual([28, 28, 1]);
    expect(train.x.dtype).toBe('float32');
    expect(train.y.dtype).toBe('int32');
    expect(classCounts(train)).toEqual([560, 643, 608, 612, 584, 594, 590, 617, 590, 602]);
    expect(pixelSum(train)).toBe(342_670_278);
    const test = await embeddedFashionMnist({ split: 'test' });
    expect(classCounts(test)).toEqual([107, 105, 111, 93, 115, 87, 97, 95, 95, 95]);
    expect(pixelSum(test)).toBe(58_034_149);
  });

  it('fashionMnist and mnist read official-name files the test writes, through root and NNTK_DATA_DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nntk-official-'));
    const saved = process.env.NNTK_DATA_DIR;
    try {
      for (const name of ['fashion-mnist', 'mnist']) {
        await mkdir(join(dir, name));
        for (const file of Object.keys(manifest.md5))
          await copyFile(join(EMBEDDED_DIR, file), join(dir, name, file));
      }
      const embedded = await embeddedFashionMnist({ split: 'test' });
      process.env.NNTK_DATA_DIR = dir;
      const viaEnv = await fashionMnist({ split: 'test' });
      const viaRoot = await mnist({ root: join(dir, 'mnist'), split: 'test' });
      for (const read of [viaEnv, viaRoot]) {
        expect(read.length).toBe(1000);
        expect(pixelSum(read)).toBe(pixelSum(embedded));
        expect(Array.from(read.y.values)).toEqual(Array.from(embedded.y.values));
      }
    } finally {
      if (saved === undefined) delete process.env.NNTK_DATA_DIR;
      else process.env.NNTK_DATA_DIR = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('getBatch builds tensors of the requested rows', () => {
    return embeddedFashionMnist({ split: 'test' }).then((test) => {
      const { x, y } = test.getBatch([5, 0]);
      expect(x.shape).toEqual([2, 28, 28, 1]);
      expect(Array.from(y.dataSync())).toEqual([test.y.values[5], test.y.values[0]]);
      tf.dispose([x, y]);
    });
  });
});

describe('corrupt, truncated and missing files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nntk-data-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function writeIdx(name: string, header: number[], payload: number) {
    const head = Buffer.alloc(header.length * 4);
    header.forEach((v, i) => {
      head.writeUInt32BE(v, i * 4);
    });
    await writeFile(join(dir, name), gzipSync(Buffer.concat([head, Buffer.alloc(payload)])));
  }

  it('lists the missing files with their md5s and the directory to place them in', async () => {
    const error = await fashionMnist({ root: dir }).catch((e) => e);
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.message).toContain(`files missing in ${dir}`);
    expect(error.message).toContain('train-images-idx3-ubyte.gz  (md5 8d4fb7e6c68d591d4c3dfef9ec88bf0d)');
    expect(error.message).toContain('download: true');
  });

  it('rejects a bad magic number, a short payload, a count mismatch and a non-gzip file', async () => {
    await writeIdx('train-images-idx3-ubyte.gz', [0x0801, 2, 28, 28], 2 * 784);
    await writeIdx('train-labels-idx1-ubyte.gz', [0x0801, 2], 2);
    expect((await fashionMnist({ root: dir }).catch((e) => e)).message).toMatch(
      /bad magic number 0x00000801 \(expected 0x00000803/,
    );
    await writeIdx('train-images-idx3-ubyte.gz', [0x0803, 2, 28, 28], 784 + 100);
    expect((await fashionMnist({ root: dir }).catch((e) => e)).message).toMatch(
      /header promises 1568 bytes of data \(2 x 28 x 28\) but the file holds 884/,
    );
    await writeIdx('train-images-idx3-ubyte.gz', [0x0803, 3, 28, 28], 3 * 784);
    expect((await fashionMnist({ root: dir }).catch((e) => e)).message).toMatch(/3 images but 2 labels/);
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), 'not gzip at all');
    const error = await fashionMnist({ root: dir }).catch((e) => e);
    expect(error.code).toBe('CORRUPT_DATA');
    expect(error.message).toMatch(/not a valid gzip file/);
  });
});

// Downloads serve the full MNIST files where the checkout has them (the real md5s of mnist()), else the
// embedded subset's files with their md5s from data/manifest.json: the same code path, smaller files.
const DOWNLOAD = FULL_MNIST
  ? { dir: FULL_MNIST, count: 10_000, load: mnist, md5: MNIST.files.test.images[1] }
  : {
      dir: EMBEDDED_DIR,
      count: 1000,
      load: (options: Parameters<typeof mnist>[0]) =>
        loadIdxDataset(
          {
            ...MNIST,
            files: {
              train: {
                images: ['train-images-idx3-ubyte.gz', manifest.md5['train-images-idx3-ubyte.gz']],
                labels: ['train-labels-idx1-ubyte.gz', manifest.md5['train-labels-idx1-ubyte.gz']],
              },
              test: {
                images: ['t10k-images-idx3-ubyte.gz', manifest.md5['t10k-images-idx3-ubyte.gz']],
                labels: ['t10k-labels-idx1-ubyte.gz', manifest.md5['t10k-labels-idx1-ubyte.gz']],
              },
            },
          },
          options ?? {},
        ),
      md5: manifest.md5['t10k-images-idx3-ubyte.gz'],
    };

describe(`downloads (from a local server on 127.0.0.1, serving ${FULL_MNIST ? 'the full MNIST files' : 'the embedded subset'})`, () => {
  let server: Server;
  let baseUrl: string;
  let dir: string;
  let corrupt = false;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nntk-download-'));
    server = createServer(async (request, response) => {
      const name = (request.url ?? '/').slice(1);
      requests.push(`${name} ${request.headers.range ?? 'full'}`);
      let body: Buffer;
      try {
        body = await readFile(join(DOWNLOAD.dir, name));
      } catch {
        response.writeHead(404).end();
        return;
      }
      if (corrupt)
        body = Buffer.concat([body.subarray(0, body.length - 1), Buffer.from([body[body.length - 1] ^ 1])]);
      const range = /bytes=(\d+)-/.exec(request.headers.range ?? '');
      if (range) {
        const start = Number(range[1]);
        response.writeHead(206, { 'content-length': body.length - start }).end(body.subarray(start));
      } else response.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads, resumes a partial file with a Range request, checks md5s and moves files into place', async () => {
    const root = join(dir, 'ok');
    const images = await readFile(join(DOWNLOAD.dir, 't10k-images-idx3-ubyte.gz'));
    const partial = Math.floor(images.length / 2);
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 't10k-images-idx3-ubyte.gz.part'), images.subarray(0, partial));
    const progress: number[] = [];
    const test = await DOWNLOAD.load({
      root,
      split: 'test',
      download: true,
      baseUrl,
      onProgress: (file, received) => {
        if (file.startsWith('t10k-images')) progress.push(received);
      },
    });
    expect(test.length).toBe(DOWNLOAD.count);
    expect(requests).toContain(`t10k-images-idx3-ubyte.gz bytes=${partial}-`);
    expect(existsSync(join(root, 't10k-images-idx3-ubyte.gz.part'))).toBe(false);
    expect(progress[0]).toBeGreaterThan(partial);
    expect(progress[progress.length - 1]).toBe(images.length);
  });

  it('rejects a file whose md5 does not match, leaving nothing under the real name', async () => {
    corrupt = true;
    const root = join(dir, 'bad');
    const error = await DOWNLOAD.load({ root, split: 'test', download: true, baseUrl }).catch((e) => e);
    corrupt = false;
    expect(error.code).toBe('CORRUPT_DATA');
    expect(error.message).toMatch(new RegExp(`md5 [0-9a-f]{32} does not match the expected ${DOWNLOAD.md5}`));
    expect(existsSync(join(root, 't10k-images-idx3-ubyte.gz'))).toBe(false);
  });

  it('says what to place where when the server cannot be reached', async () => {
    const error = await mnist({
      root: join(dir, 'offline'),
      download: true,
      baseUrl: 'http://127.0.0.1:9',
    }).catch((e) => e);
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.message).toMatch(/Place these files/);
    expect(error.message).toMatch(/the download failed/);
  });
});

describe('CIFAR-10 binary batches (files written by the test)', () => {
  it('decodes records into NHWC pixels and labels, and rejects truncated files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nntk-cifar-'));
    const record = (label: number, r: number, g: number, b: number) =>
      Buffer.concat([
        Buffer.from([label]),
        Buffer.alloc(1024, r),
        Buffer.alloc(1024, g),
        Buffer.alloc(1024, b),
      ]);
    const distinct = Buffer.from(record(3, 0, 0, 0));
    distinct[1 + 5] = 255; // R of pixel 5
    distinct[1 + 1024 + 5] = 51; // G of pixel 5
    await writeFile(join(dir, 'test_batch.bin'), Buffer.concat([distinct, record(9, 10, 20, 30)]));
    const test = await cifar10({ root: dir, split: 'test' });
    expect(test.length).toBe(2);
    expect(Array.from(test.y.values)).toEqual([3, 9]);
    expect(Array.from(test.x.values.subarray(15, 18))).toEqual([1, 0.2, 0].map(Math.fround));
    expect(Math.round(test.x.values[3072 + 2] * 255)).toBe(30);
    await writeFile(join(dir, 'test_batch.bin'), Buffer.concat([distinct, Buffer.alloc(100)]));
    expect((await cifar10({ root: dir, split: 'test' }).catch((e) => e)).message).toMatch(
      /not a whole number of 3073-byte CIFAR-10 records/,
    );
    const missing = await cifar10({ root: dir }).catch((e) => e);
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.message).toContain('data_batch_1.bin');
    await rm(dir, { recursive: true, force: true });
  });
});
