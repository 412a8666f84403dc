import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from './errors';

/** Serialisable state of an {@link Rng}: restore it with `setState` to continue the exact stream. */
export interface RngState {
  algorithm: 'xoshiro128**';
  s: [number, number, number, number];
  /** The cached second value of the last Box-Muller pair, or null. */
  spare: number | null;
}

const TWO_POW_32 = 4294967296;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A seeded random generator (xoshiro128**, seeded through splitmix32). Every random thing in nntk draws
 * from one (initialisation, dropout masks, shuffling, augmentation), so a seed fixes a run and
 * `getState()`/`setState()` resume it exactly. Normals use Box-Muller.
 */
export class Rng {
  private s: Uint32Array = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seedValue = 0) {
    this.seed(seedValue);
  }

  /** Restarts the stream from `seedValue` (an integer; only its low 53 bits matter). */
  seed(seedValue: number): void {
    if (!Number.isFinite(seedValue)) {
      throw new NntkError('INVALID_OPTION', `Rng.seed: expected a finite number, got ${seedValue}`);
    }
    const high = Math.floor(seedValue / TWO_POW_32) >>> 0;
    const next = splitmix32((seedValue >>> 0) ^ Math.imul(high, 0x27d4eb2d));
    for (let i = 0; i < 4; i++) this.s[i] = next();
    if (this.s.every((x) => x === 0)) this.s[0] = 1;
    this.spare = null;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  random(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  randint(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new NntkError('INVALID_OPTION', `Rng.randint: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A standard normal draw (Box-Muller, the second value of each pair cached in the state). */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    const u1 = 1 - this.random();
    const u2 = this.random();
    const radius = Math.sqrt(-2 * Math.log(u1));
    this.spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  }

  /** A Gamma(shape, 1) draw (Marsaglia and Tsang 2000). */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new NntkError('INVALID_OPTION', `Rng.gamma: shape must be > 0, got ${shape}`);
    if (shape < 1) return this.gamma(shape + 1) * this.random() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = this.random();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** A Beta(a, b) draw, as mixup and cutmix need. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }

  /** `n` uniform floats in [low, high). */
  uniformArray(n: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(n);
    const width = high - low;
    for (let i = 0; i < n; i++) out[i] = low + width * this.random();
    return out;
  }

  /** `n` normal floats with the given mean and standard deviation. */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** A tensor of uniform values in [low, high). */
  uniform(shape: number[], low = 0, high = 1): tf.Tensor {
    return tf.tensor(this.uniformArray(sizeOf(shape), low, high), shape, 'float32');
  }

  /** A tensor of normal values. */
  normalTensor(shape: number[], mean = 0, std = 1): tf.Tensor {
    return tf.tensor(this.normalArray(sizeOf(shape), mean, std), shape, 'float32');
  }

  /** A float tensor of 0/1 values, 1 with probability `p`. */
  bernoulli(shape: number[], p: number): tf.Tensor {
    const n = sizeOf(shape);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.random() < p ? 1 : 0;
    return tf.tensor(out, shape, 'float32');
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    this.shuffle(out);
    return out;
  }

  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.randint(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A new generator seeded from this one's stream (independent streams for workers or loaders). */
  fork(): Rng {
    return new Rng(this.nextUint32() * TWO_POW_32 + this.nextUint32());
  }

  getState(): RngState {
    return { algorithm: 'xoshiro128**', s: [this.s[0], this.s[1], this.s[2], this.s[3]], spare: this.spare };
  }

  setState(state: RngState): void {
    const ok =
      state?.algorithm === 'xoshiro128**' &&
      Array.isArray(state.s) &&
      state.s.length === 4 &&
      state.s.every((x) => Number.isInteger(x) && x >= 0 && x < TWO_POW_32) &&
      (state.spare === null || typeof state.spare === 'number');
    if (!ok) {
      throw new NntkError(
        'CORRUPT_CHECKPOINT',
        `Rng.setState: not an nntk RNG state (expected { algorithm: 'xoshiro128**', s: [4 uint32], spare }), got ${JSON.stringify(state)}`,
      );
    }
    this.s = Uint32Array.from(state.s);
    this.spare = state.spare;
  }
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const globalRng = new Rng(Date.now() % TWO_POW_32);

/** Seeds nntk's global generator, which every random thing in nntk draws from by default. */
export function seed(n: number): void {
  globalRng.seed(n);
}

/** nntk's global generator (seed it with {@link seed}). */
export function getRng(): Rng {
  return globalRng;
}
