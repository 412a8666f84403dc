import { type Rng, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ConcatDataset, DataLoader, type Dataset, randomSplit, Subset, TensorDataset } from './index';

function numbered(n: number): TensorDataset {
  return new TensorDataset(
    { values: Float32Array.from({ length: n * 2 }, (_, i) => i), shape: [2], dtype: 'float32' },
    { values: Int32Array.from({ length: n }, (_, i) => i), shape: [], dtype: 'int32' },
  );
}

async function epochLabels(
  loader: AsyncIterable<{ x: tf.Tensor; y: tf.Tensor }>,
  stopAfter = Infinity,
): Promise<number[][]> {
  const out: number[][] = [];
  for await (const { x, y } of loader) {
    out.push(Array.from(y.dataSync()));
    tf.dispose([x, y]);
    if (out.length >= stopAfter) break;
  }
  return out;
}

describe('DataLoader', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('batches in order without shuffling, keeps the last partial batch unless dropLast', async () => {
    const data = numbered(10);
    expect(await epochLabels(new DataLoader(data, { batchSize: 4 }))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    const dropping = new DataLoader(data, { batchSize: 4, dropLast: true });
    expect(dropping.length).toBe(2);
    expect((await epochLabels(dropping)).flat()).toHaveLength(8);
  });

  it('shuffles deterministically per seed, with a new order every epoch', async () => {
    const a = new DataLoader(numbered(50), { batchSize: 8, shuffle: true, seed: 7 });
    const b = new DataLoader(numbered(50), { batchSize: 8, shuffle: true, seed: 7 });
    const a1 = (await epochLabels(a)).flat();
    const a2 = (await epochLabels(a)).flat();
    expect((await epochLabels(b)).flat()).toEqual(a1);
    expect(a2).not.toEqual(a1);
    expect([...a1].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const c = new DataLoader(numbered(50), { batchSize: 8, shuffle: true, seed: 8 });
    expect((await epochLabels(c)).flat()).not.toEqual(a1);
  });

  it('resumes mid-epoch at the exact next batch from a JSON state', async () => {
    const straight = new DataLoader(numbered(40), { batchSize: 6, shuffle: true, seed: 3 });
    await epochLabels(straight);
    const epoch2 = await epochLabels(straight);

    const interrupted = new DataLoader(numbered(40), { batchSize: 6, shuffle: true, seed: 3 });
    await epochLabels(interrupted);
    const firstHalf = await epochLabels(interrupted, 3);
    const saved = JSON.parse(JSON.stringify(interrupted.stateDict()));
    expect(saved).toMatchObject({ epoch: 1, position: 3 });
    const resumed = new DataLoader(numbered(40), { batchSize: 6, shuffle: true, seed: 99 });
    resumed.loadStateDict(saved);
    const secondHalf = await epochLabels(resumed);
    expect([...firstHalf, ...secondHalf]).toEqual(epoch2);
  });

  it('holds no tensors after an epoch, or after a consumer stops early with batches prefetched', async () => {
    const loader = new DataLoader(numbered(64), { batchSize: 8, shuffle: true, prefetch: 3 });
    const before = tf.memory().numTensors;
    await epochLabels(loader);
    expect(tf.memory().numTensors).toBe(before);
    await epochLabels(loader, 2);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('collates arbitrary data sets, applies the input transform with a per-batch generator', async () => {
    const plain: Dataset<{ x: number[]; y: number }> = {
      length: 5,
      get: async (i) => ({ x: [i, -i], y: i % 2 }),
    };
    const seen: number[] = [];
    const loader = new DataLoader(plain, {
      batchSize: 2,
      transform: (x, rng: Rng) => {
        seen.push(rng.random());
        return tf.mul(x, 10);
      },
    });
    const batches: number[][] = [];
    for await (const { x, y } of loader) {
      batches.push(Array.from(x.dataSync()));
      expect(y.dtype).toBe('int32');
      tf.dispose([x, y]);
    }
    expect(batches[0]).toEqual([0, -0, 10, -10]);
    expect(new Set(seen).size).toBe(3);
  });

  it('validates its options', () => {
    expect(() => new DataLoader(numbered(3), { batchSize: 0 })).toThrow(
      "DataLoader: option 'batchSize' must be an integer >= 1, got 0",
    );
    expect(() => new DataLoader(numbered(3)).loadStateDict({ seed: 1, epoch: -1, position: 0 })).toThrow(
      /expected \{ seed, epoch, position \}/,
    );
  });
});

describe('Subset, ConcatDataset and randomSplit', () => {
  it('splits by fractions or counts, reproducibly, without overlap', () => {
    const data = numbered(103);
    const [train, val] = randomSplit(data, [0.9, 0.1], { seed: 1 });
    expect([train.length, val.length]).toEqual([93, 10]);
    const all = [...train.indices, ...val.indices].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
    const [again] = randomSplit(data, [93, 10], { seed: 1 });
    expect(Array.from(again.indices)).toEqual(Array.from(train.indices));
    expect(() => randomSplit(data, [50, 10])).toThrow(/must be counts summing to 103/);
  });

  it('Subset keeps the batch fast path and ConcatDataset indexes across parts', () => {
    const subset = new Subset(numbered(10), [9, 2]);
    expect(subset.get(0)).toMatchObject({ y: 9 });
    const batch = subset.getBatch!([1, 0]);
    expect(Array.from(batch.y.dataSync())).toEqual([2, 9]);
    tf.dispose([batch.x, batch.y]);
    const concat = new ConcatDataset([numbered(3), numbered(2)]);
    expect(concat.length).toBe(5);
    expect(concat.get(4)).toMatchObject({ y: 1 });
  });
});

describe('TensorDataset from tensors', () => {
  it('copies tensors with await data() (no synchronous read), and rejects tensors given to the constructor', async () => {
    await useBackend('cpu');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const y = tf.tensor1d([0, 1, 0], 'int32');
    const readSync = vi.spyOn(tf.engine(), 'readSync');
    const data = await TensorDataset.fromTensors(x, y);
    expect(readSync).not.toHaveBeenCalled();
    readSync.mockRestore();
    expect(data.length).toBe(3);
    expect(Array.from(data.get(2).x as Float32Array)).toEqual([5, 6]);
    expect(data.get(1).y).toBe(1);
    expect(data.y.dtype).toBe('int32');
    const asColumns: unknown = x;
    expect(() => new TensorDataset(asColumns as TensorDataset['x'], data.y)).toThrow(
      /await TensorDataset.fromTensors\(x, y\)/,
    );
    await expect(TensorDataset.fromTensors(tf.scalar(1), y)).rejects.toThrow(/leading example axis/);
    tf.dispose([x, y]);
  });
});
