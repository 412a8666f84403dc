// Shared pieces of the benchmark scenarios: data, timing, memory, and the one-line JSON result.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { profileEpoch } from './profile.mjs';

export function dataDir() {
  const candidates = [
    process.env.NNTK_DATA_DIR,
    new URL('../../../shared/data', import.meta.url).pathname,
  ].filter(Boolean);
  const found = candidates.find((d) => existsSync(join(d, 'fashion-mnist', 'train-images-idx3-ubyte.gz')));
  if (!found)
    throw new Error(
      `Fashion-MNIST not found: set NNTK_DATA_DIR to a directory with fashion-mnist/ (tried ${candidates.join(', ')})`,
    );
  return found;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * `BENCH_TFJS_FLAGS="NAME=value,..."`: tfjs environment flags set once the backend is up (nntk's wasm flags
 * are registered when useBackend('wasm') loads the package), e.g. `NNTK_WASM_HEAP_GEMM=false` for A/B runs.
 */
function setFlags() {
  for (const pair of (process.env.BENCH_TFJS_FLAGS ?? '').split(',').filter(Boolean)) {
    const [name, text] = pair.split('=');
    const value = text === 'true' ? true : text === 'false' ? false : Number(text);
    tf.env().set(name.trim(), value);
  }
}

/** Runs `epoch()` once to warm up, then `repeats` timed times; returns samples/s (median) and tensor counts. */
export async function measure(epoch, samplesPerEpoch, repeats = 3) {
  setFlags();
  await epoch();
  const rates = [];
  const cpuRates = [];
  const counts = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await epoch();
    rates.push(samplesPerEpoch / ((performance.now() - started) / 1000));
    const { user, system } = process.cpuUsage(cpu);
    cpuRates.push(samplesPerEpoch / ((user + system) / 1e6));
    counts.push(tf.memory().numTensors);
  }
  // `pnpm bench -- --profile <scenario>`: one more epoch under per-kernel timers.
  const profile = process.env.NNTK_BENCH_PROFILE ? await profileEpoch(epoch) : undefined;
  return {
    profile,
    samplesPerSecond: median(rates),
    // Samples per second of this process's CPU time (all threads): less sensitive to other load than the
    // wall-clock rate, comparable between runs with the same thread count.
    samplesPerCpuSecond: median(cpuRates),
    tensorsFlat: new Set(counts).size === 1,
    numTensors: counts.at(-1),
    peakRssMiB: process.memoryUsage().rss / 2 ** 20,
  };
}

/** Prints one result line for run.mjs, with the threads the wasm backend computed with. */
export function report(result) {
  const threads = tf.getBackend() === 'wasm' ? getThreadsCount() : 1;
  process.stdout.write(`RESULT ${JSON.stringify({ threads, ...result })}\n`);
}

/** The first `n` Fashion-MNIST training images (floats in [0, 1]) and labels, read directly (for tfjs baselines). */
export function fashionMnistArrays(n) {
  const read = (name, header) =>
    gunzipSync(readFileSync(join(dataDir(), 'fashion-mnist', name))).subarray(header);
  const images = read('train-images-idx3-ubyte.gz', 16).subarray(0, n * 784);
  const labels = read('train-labels-idx1-ubyte.gz', 8).subarray(0, n);
  return { pixels: Float32Array.from(images, (v) => v / 255), labels: Int32Array.from(labels) };
}
