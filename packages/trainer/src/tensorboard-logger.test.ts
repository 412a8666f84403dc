import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { NntkError } from '@nntk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cases from '../../../fixtures/trainer/tensorboard/cases.json';
import { crc32c } from './internal/tensorboard/crc32c';
import { type Event, EventSchema } from './internal/tensorboard/gen/tensorboard/compat/proto/event_pb';
import { HParamsPluginDataSchema } from './internal/tensorboard/gen/tensorboard/plugins/hparams/plugin_data_pb';
import { decodeRecords, encodeRecord } from './internal/tensorboard/records';
import { TensorBoardLogger } from './tensorboard-logger';

const FIXTURES = new URL('../../../fixtures/trainer/tensorboard/', import.meta.url).pathname;
const clock = () => cases.wall_time;
let root: string;

async function eventFile(dir: string): Promise<Uint8Array> {
  const names = (await readdir(dir)).filter((n) => n.startsWith('events.out.tfevents.'));
  expect(names).toHaveLength(1);
  return new Uint8Array(await readFile(join(dir, names[0])));
}

function events(bytes: Uint8Array): Event[] {
  return decodeRecords(bytes).map((r) => fromBinary(EventSchema, r));
}

async function written(name: string, log: (tb: TensorBoardLogger) => void | Promise<void>): Promise<string> {
  const dir = join(root, name);
  const tb = new TensorBoardLogger({ logDir: dir, clock });
  await log(tb);
  await tb.close();
  return dir;
}

describe('TensorBoardLogger against torch.utils.tensorboard.SummaryWriter', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'nntk-tb-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('frames records as TFRecord with masked CRC-32C (check value 0xE3069283)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    const record = encodeRecord(Uint8Array.from([1, 2, 3]));
    expect(decodeRecords(record)).toEqual([Uint8Array.from([1, 2, 3])]);
    const broken = record.slice();
    broken[13] ^= 1;
    expect(() => decodeRecords(broken)).toThrow(/bad data CRC/);
    expect(() => decodeRecords(record.subarray(0, 10))).toThrow(NntkError);
  });

  it('scalars: byte-identical to the PyTorch file', async () => {
    const dir = await written('scalars', (tb) => {
      for (const [step, value] of cases.scalars.points) tb.addScalar(cases.scalars.tag, value, step);
      tb.addScalar('lr', 1e-3);
    });
    expect(await eventFile(dir)).toEqual(await eventFile(join(FIXTURES, 'scalars')));
  });

  it('histograms: the same records; byte-identical where the sums are exact', async () => {
    const h = cases.histograms;
    const dir = await written('histograms', (tb) => {
      tb.addHistogram('weights/exact', h.exact, 1);
      tb.addHistogram('weights/normal', h.normal, 2);
      tb.addHistogram('weights/ten-bins', h.normal, 3, { bins: 10 });
      tb.addHistogram('weights/one-value', [0.75, 0.75, 0.75, 0.75], 4, { bins: 5 });
      const r = cases.histogram_raw;
      tb.addHistogramRaw(
        'raw',
        {
          min: r.min,
          max: r.max,
          num: r.num,
          sum: r.sum,
          sumSquares: r.sum_squares,
          bucketLimits: r.bucket_limits,
          bucketCounts: r.bucket_counts,
        },
        5,
      );
    });
    const ours = decodeRecords(await eventFile(dir));
    const theirs = decodeRecords(await eventFile(join(FIXTURES, 'histograms')));
    expect(ours).toHaveLength(theirs.length);
    for (const i of [0, 1, 4, 5]) expect(ours[i]).toEqual(theirs[i]);
    // NumPy sums with pairwise addition and BLAS dot: sum and sum_squares may differ in the last bits.
    for (const i of [2, 3]) {
      const [a, b] = [fromBinary(EventSchema, ours[i]), fromBinary(EventSchema, theirs[i])];
      const [ha, hb] = [a.what.value, b.what.value].map((s) => {
        const v = (s as { value: { value: { value: unknown } }[] }).value[0].value;
        return v.value as { sum: number; sumSquares: number; bucket: number[]; bucketLimit: number[] };
      });
      expect(ha.sum).toBeCloseTo(hb.sum, 12);
      expect(ha.sumSquares).toBeCloseTo(hb.sumSquares, 12);
      expect({ ...ha, sum: 0, sumSquares: 0 }).toEqual({ ...hb, sum: 0, sumSquares: 0 });
      expect({ ...a, what: undefined }).toEqual({ ...b, what: undefined });
    }
  });

  it('images: the same Image fields, PNG byte-identical (Pillow filters, zlib level 6)', async () => {
    const im = cases.images;
    const dir = await written('images', (tb) => {
      tb.addImage('image/rgb-chw', { data: Float32Array.from(im.chw.flat(2)), shape: [3, 5, 4] }, 0);
      tb.addImage('image/gray-hw', { data: Uint8Array.from(im.hw.flat()), shape: [6, 7] }, 1, {
        dataformats: 'HW',
      });
    });
    const ours = events(await eventFile(dir));
    const theirs = events(await eventFile(join(FIXTURES, 'images')));
    expect(ours).toEqual(theirs);
  });

  it('text: byte-identical', async () => {
    const dir = await written('text', (tb) => tb.addText(cases.text.tag, cases.text.text, 7));
    expect(await eventFile(dir)).toEqual(await eventFile(join(FIXTURES, 'text')));
  });

  it('hparams: parent file byte-identical; sub-run records byte-identical but the map one, decoded equal', async () => {
    const hp = cases.hparams;
    const dir = await written('hparams', (tb) =>
      tb.addHparams(Object.fromEntries(hp.hparams), hp.metrics, {
        domainDiscrete: hp.domain,
        runName: hp.run,
      }),
    );
    expect(await eventFile(dir)).toEqual(await eventFile(join(FIXTURES, 'hparams')));
    const ours = events(await eventFile(join(dir, hp.run)));
    const theirs = events(await eventFile(join(FIXTURES, 'hparams', hp.run)));
    const plugin = (e: Event) => {
      const value = e.what.case === 'summary' ? e.what.value.value[0] : undefined;
      const content = value?.metadata?.pluginData?.content;
      return content?.length ? fromBinary(HParamsPluginDataSchema, content) : undefined;
    };
    expect(ours.map(plugin)).toEqual(theirs.map(plugin));
    // Python's protobuf writes map entries (the session-start hparams) in a per-process hash order, so
    // that record is compared decoded (above); every other record byte for byte.
    const [a, b] = [
      decodeRecords(await eventFile(join(dir, hp.run))),
      decodeRecords(await eventFile(join(FIXTURES, 'hparams', hp.run))),
    ];
    expect(a).toHaveLength(b.length);
    for (const i of [0, 1, 3, 4]) expect(a[i]).toEqual(b[i]);
  });

  it('rejects unknown options with a suggestion, and bad values with typed errors', () => {
    expect(() => new TensorBoardLogger({ logdir: '/tmp/x' } as never)).toThrow(
      /unknown option 'logdir'\. Did you mean 'logDir'\?/,
    );
    expect(() => new TensorBoardLogger({ logEveryNSteps: -1 })).toThrow(NntkError);
    const tb = new TensorBoardLogger({ logDir: join(tmpdir(), 'never-written') });
    expect(() =>
      tb.addImage('x', { data: new Uint8Array(5), shape: [2, 2] }, 0, { dataformats: 'HW' }),
    ).toThrow(/does not fit/);
    expect(() => tb.addHistogram('x', [])).toThrow(/empty/);
    expect(() => tb.addScalar('x', 1, 1.5)).toThrow(/globalStep/);
    expect(() => new TensorBoardLogger({ hparams: { a: 1 }, hparamDomainDiscrete: { a: ['x'] } })).toThrow(
      /same type/,
    );
  });
});
