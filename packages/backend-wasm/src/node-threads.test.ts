import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';

// The built packages: a child process loads @nntk/core's Node entry the way a Node app does, which loads this package's
// build (tests run after `pnpm build`).
const distEntry = fileURLToPath(new URL('../../core/dist/node.js', import.meta.url));

function runChild(script: string, env: Record<string, string> = {}) {
  const started = performance.now();
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { ...out, seconds: (performance.now() - started) / 1000 };
}

function convAndMatmul(): { forward: Float32Array; grads: Float32Array[] } {
  const x = tf.tensor4d(
    Array.from({ length: 2 * 9 * 9 * 3 }, (_, i) => Math.sin(i)),
    [2, 9, 9, 3],
  );
  const filter = tf.tensor4d(
    Array.from({ length: 3 * 3 * 3 * 8 }, (_, i) => Math.cos(i)),
    [3, 3, 3, 8],
  );
  const w = tf.tensor2d(
    Array.from({ length: 8 * 81 * 5 }, (_, i) => Math.sin(0.3 * i)),
    [8 * 81, 5],
  );
  const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    tf
      .matMul(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')).reshape([2, -1]), c)
      .square()
      .sum();
  const value = tf.tidy(() => f(x, filter, w));
  const gradTensors = tf.tidy(() => tf.grads(f)([x, filter, w]));
  const forward = value.dataSync() as Float32Array;
  const grads = gradTensors.map((g) => g.dataSync() as Float32Array);
  tf.dispose([x, filter, w, value, ...gradTensors]);
  return { forward, grads };
}

describe('WASM threads in Node', () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('runs the threaded build with the requested threads and matches the cpu backend', async () => {
    const info = await useBackend('wasm', { threads: 2 });
    expect(info.threads).toBe(2);
    expect(info.simd).toBe(true);
    const before = tf.memory().numTensors;
    const threaded = convAndMatmul();
    expect(tf.memory().numTensors).toBe(before);
    await useBackend('cpu');
    const reference = convAndMatmul();
    const scale = Math.abs(reference.forward[0]);
    expect(Math.abs(threaded.forward[0] - reference.forward[0]) / scale).toBeLessThan(1e-5);
    for (const [i, grad] of threaded.grads.entries()) {
      const ref = reference.grads[i];
      const largest = Math.max(...ref.map(Math.abs));
      const worst = Math.max(...grad.map((v, j) => Math.abs(v - ref[j])));
      expect(worst / largest).toBeLessThan(1e-4);
    }
  });

  it('lets a process exit while the thread pool is idle', () => {
    const out = runChild(
      `import * as tf from '@tensorflow/tfjs-core';
       import { useBackend } from ${JSON.stringify(distEntry)};
       const info = await useBackend('wasm', { threads: 2 });
       const y = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]));
       console.log(JSON.stringify({ threads: info.threads, value: y.dataSync()[0] }));`,
    );
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({ threads: 2, value: 64 });
    expect(out.seconds).toBeLessThan(20);
  });

  it('takes the count from NNTK_WASM_THREADS and rejects a bad one', () => {
    const script = `import { useBackend } from ${JSON.stringify(distEntry)};
      try { console.log((await useBackend('wasm')).threads); } catch (e) { console.log(e.code, e.message); }`;
    expect(runChild(script, { NNTK_WASM_THREADS: '1' }).stdout.trim()).toBe('1');
    const bad = runChild(script, { NNTK_WASM_THREADS: 'many' }).stdout.trim();
    expect(bad).toContain('INVALID_OPTION');
    expect(bad).toContain('NNTK_WASM_THREADS must be an integer >= 1, got "many"');
  });
});
