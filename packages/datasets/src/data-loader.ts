import { check, describeValue, getRng, NntkError, Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Batch, type Dataset, isBatchSource } from './dataset';

export interface DataLoaderOptions<T> {
  batchSize?: number;
  /** A new random order every epoch. Default false. */
  shuffle?: boolean;
  /** Seed of the shuffling; the order of epoch e is a function of (seed, e). Default: drawn from nntk's RNG. */
  seed?: number;
  /** Drop the last incomplete batch. Default false. */
  dropLast?: boolean;
  /** Builds a batch from examples (default: stacks `x` and `y` typed arrays or numbers). */
  collate?: (examples: T[]) => Batch;
  /** A transform of each batch's inputs (augmentation), given a generator seeded by (seed, epoch, batch). */
  transform?: (x: tf.Tensor, rng: Rng) => tf.Tensor;
  /** Batches prepared ahead of the consumer (for data sets with asynchronous `get`). Default 1. */
  prefetch?: number;
}

/** Where a loader is: the epoch and the number of batches of it already handed out. */
export interface DataLoaderState {
  seed: number;
  epoch: number;
  position: number;
}

/** Mixes integers into one 32-bit seed (a murmur3-style finaliser per part), so nearby inputs differ widely. */
function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

function stackColumn(values: (ArrayLike<number> | number)[], dtype: 'float32' | 'int32'): tf.Tensor {
  if (typeof values[0] === 'number') return tf.tensor1d(values as number[], dtype);
  const row = (values[0] as ArrayLike<number>).length;
  const out = dtype === 'int32' ? new Int32Array(values.length * row) : new Float32Array(values.length * row);
  values.forEach((v, i) => {
    out.set(v as ArrayLike<number>, i * row);
  });
  return tf.tensor2d(out, [values.length, row], dtype);
}

/** An example `defaultCollate` stacks: `{ x, y }`, each a typed array (or array) or a number. */
export type CollatableExample = { x: ArrayLike<number> | number; y: ArrayLike<number> | number };

function isColumnValue(value: unknown): value is ArrayLike<number> | number {
  return typeof value === 'number' || (typeof value === 'object' && value !== null && 'length' in value);
}

/** Whether the examples are what `defaultCollate` stacks (judged by the first, as stacking reads it). */
function isCollatable(examples: readonly unknown[]): examples is CollatableExample[] {
  const first = examples[0];
  return (
    typeof first === 'object' &&
    first !== null &&
    isColumnValue(Reflect.get(first, 'x')) &&
    isColumnValue(Reflect.get(first, 'y'))
  );
}

/** Stacks `{ x, y }` examples of typed arrays or numbers into a batch (integer targets stay int32). */
export function defaultCollate(examples: CollatableExample[]): Batch {
  const ys = examples.map((e) => e.y);
  const integer =
    ys[0] instanceof Int32Array || (typeof ys[0] === 'number' && ys.every((y) => Number.isInteger(y)));
  return {
    x: stackColumn(
      examples.map((e) => e.x),
      'float32',
    ),
    y: stackColumn(ys, integer ? 'int32' : 'float32'),
  };
}

/**
 * Batches of a data set as an async iterable (`for await (const { x, y } of loader)`), after
 * `torch.utils.data.DataLoader`: seeded shuffling with a new order every epoch, `dropLast`, custom
 * collation, per-batch transforms, prefetching, and a `stateDict()` that resumes at the exact next batch.
 * The consumer disposes each batch; the loader holds no tensors between batches.
 */
/** `defaultCollate` over a data set's examples of any type, refusing ones it cannot stack. */
function collateDefault(examples: readonly unknown[]): Batch {
  if (!isCollatable(examples))
    throw new NntkError(
      'INVALID_OPTION',
      `DataLoader: the data set's examples are not { x, y } of numbers or arrays (got ${describeValue(examples[0])}); pass a collate option that turns them into a batch`,
    );
  return defaultCollate(examples);
}

export class DataLoader<T = unknown> implements AsyncIterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private seed: number;
  private epoch = 0;
  private position = 0;
  private readonly prefetch: number;

  constructor(
    readonly dataset: Dataset<T>,
    private readonly options: DataLoaderOptions<T> = {},
  ) {
    const owner = 'DataLoader';
    this.batchSize = check.integer(owner, 'batchSize', options.batchSize ?? 1, 1);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.prefetch = check.integer(owner, 'prefetch', options.prefetch ?? 1, 1);
    this.seed = options.seed ?? getRng().nextUint32();
    if (!dataset || typeof dataset.get !== 'function' || !(dataset.length >= 0)) {
      throw new NntkError('INVALID_OPTION', 'DataLoader: expected a data set with a length and get(index)');
    }
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** The example order of an epoch: a function of (seed, epoch) only, so resumes are exact. */
  order(epoch: number): Int32Array {
    const n = this.dataset.length;
    if (!this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    return new Rng(mixSeed(this.seed, epoch)).permutation(n);
  }

  private async makeBatch(indices: Int32Array, batchIndex: number): Promise<Batch> {
    let batch: Batch;
    if (!this.options.collate && isBatchSource(this.dataset)) {
      batch = this.dataset.getBatch(indices);
    } else {
      const examples = await Promise.all(Array.from(indices, (i) => this.dataset.get(i)));
      batch = this.options.collate ? this.options.collate(examples) : collateDefault(examples);
    }
    if (!this.options.transform) return batch;
    const rng = new Rng(mixSeed(this.seed, this.epoch, batchIndex, 0x7a3f));
    const x = this.options.transform(batch.x, rng);
    if (x !== batch.x) batch.x.dispose();
    return { x, y: batch.y };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    const order = this.order(this.epoch);
    const batches = this.length;
    const pending: Promise<Batch>[] = [];
    const schedule = (b: number) =>
      pending.push(
        this.makeBatch(
          order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length)),
          b,
        ),
      );
    let next = this.position;
    while (next < batches && pending.length < this.prefetch) schedule(next++);
    try {
      while (pending.length > 0) {
        const batch = await (pending.shift() as Promise<Batch>);
        if (next < batches) schedule(next++);
        this.position += 1;
        yield batch;
      }
      this.epoch += 1;
      this.position = 0;
    } finally {
      // A consumer that stops early leaves prefetched batches unclaimed: free them.
      for (const p of pending) p.then((b) => tf.dispose([b.x, b.y]));
    }
  }

  stateDict(): DataLoaderState {
    return { seed: this.seed, epoch: this.epoch, position: this.position };
  }

  loadStateDict(state: DataLoaderState): void {
    if (![state?.seed, state?.epoch, state?.position].every((v) => Number.isInteger(v) && v >= 0)) {
      throw new NntkError(
        'CORRUPT_CHECKPOINT',
        `DataLoader.loadStateDict: expected { seed, epoch, position } integers, got ${JSON.stringify(state)}`,
      );
    }
    this.seed = state.seed;
    this.epoch = state.epoch;
    this.position = state.position;
  }
}
