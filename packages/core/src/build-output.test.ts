// The built files (core's tests run after its build): one tfjs engine per app. Neither entry holds
// tfjs-core source, both stay under the size budget and carry the chained-op types: the browser entry
// leaves tfjs's registration imports to the app's bundler, the Node entry loads them from the app's
// tfjs-core at run time.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const read = (file: string) => readFileSync(dist(file), 'utf8');

/** The budget of each entry (issue 17): it was 481 KB with tfjs-core's sources in it. */
const BUDGET_BYTES = 150 * 1024;

/** Definitions that exist only in tfjs-core's own sources (engine, registries, Tensor, ops). */
const TFJS_INTERNALS = [
  /class Engine\b/,
  /function getKernelsForBackend\b/,
  /function registerGradient\b/,
  /class Tensor\b/,
  /function getGlobalTensorClass\b/,
  /function convertToTensor\b/,
  /@tensorflow\+tfjs-core@[^/]+\/node_modules\/@tensorflow\/tfjs-core\/dist\//,
];

/** The tfjs-core files esbuild marks as bundled (`// ../node_modules/.../tfjs-core/dist/<file>`). */
function bundledTfjsFiles(source: string): string[] {
  return [...source.matchAll(/^\/\/ \S*\/@tensorflow\/tfjs-core\/dist\/(\S+)$/gm)].map((m) => m[1]);
}

describe('@nntk/core build output', () => {
  for (const file of ['index.js', 'index.cjs']) {
    it(`the browser entry ${file} holds no tfjs-core source and is under 150 KB`, () => {
      const source = read(file);
      for (const internal of TFJS_INTERNALS) expect(source, String(internal)).not.toMatch(internal);
      expect(statSync(dist(file)).size).toBeLessThan(BUDGET_BYTES);
      // The registrations stay imports for the app's bundler to resolve to the app's tfjs-core.
      expect(source).toMatch(/["']@tensorflow\/tfjs-core\/dist\/register_all_gradients["']/);
      expect(source).toMatch(
        /["']@tensorflow\/tfjs-core\/dist\/public\/chained_ops\/register_all_chained_ops["']/,
      );
      // No Node built-in (fs, path, url, os, module, crypto, worker_threads...): a browser bundle needs none.
      expect(source).not.toMatch(
        /(?:from |import\(|require\()["'](node:|fs|path|url|os|module|crypto|worker_threads)\b/,
      );
    });
  }

  for (const file of ['node.js', 'node.cjs']) {
    it(`the Node entry ${file} holds no tfjs-core source and is under 150 KB`, () => {
      const source = read(file);
      expect(bundledTfjsFiles(source)).toEqual([]);
      for (const internal of TFJS_INTERNALS) expect(source, String(internal)).not.toMatch(internal);
      expect(statSync(dist(file)).size).toBeLessThan(BUDGET_BYTES);
    });
  }

  it('both entries declare the chained-op types for TypeScript consumers', () => {
    for (const file of ['index.d.ts', 'index.d.cts', 'node.d.ts', 'node.d.cts'])
      expect(read(file), file).toContain(
        "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';",
      );
  });

  it("in Node, importing the entry registers gradients and chained ops on the app's own tfjs-core", () => {
    const script = (entry: string) => `
      const tf = require('@tensorflow/tfjs-core');
      require('@tensorflow/tfjs-backend-cpu');
      if (tf.getGradient('Conv2D') || tf.Tensor.prototype.matMul) throw new Error('registered before import');
      require(${JSON.stringify(entry)});
      tf.setBackend('cpu');
      const x = tf.tensor2d([[1, 2], [3, 4]]);
      const g = tf.grad((a) => a.matMul(a).sum())(x);
      const pool = tf.grad((a) => tf.maxPool(a, 2, 2, 'valid').sum())(tf.ones([1, 2, 2, 1]));
      console.log(JSON.stringify({ conv: Boolean(tf.getGradient('Conv2D')), g: Array.from(g.dataSync()), pool: Array.from(pool.dataSync()) }));`;
    const out = spawnSync(process.execPath, ['-e', script(dist('node.cjs'))], {
      encoding: 'utf8',
      cwd: dist('.'),
    });
    expect(out.stderr.split('\n').filter((l) => /Error/.test(l))).toEqual([]);
    // PyTorch: (a @ a).sum().backward() for a = [[1, 2], [3, 4]] gives [[7, 11], [9, 13]]; max_pool2d
    // of a 2x2 block of ones routes the gradient to the first element.
    expect(JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({
      conv: true,
      g: [7, 11, 9, 13],
      pool: [1, 0, 0, 0],
    });
    const esm = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import * as tf from '@tensorflow/tfjs-core'; import '@tensorflow/tfjs-backend-cpu'; await import(${JSON.stringify(dist('node.js'))}); await tf.setBackend('cpu'); console.log(tf.tensor1d([-2, 3]).abs().sum().dataSync()[0], Boolean(tf.getGradient('MaxPool')));`,
      ],
      { encoding: 'utf8', cwd: dist('.') },
    );
    expect(esm.stdout.trim().split('\n').at(-1)).toBe('5 true');
  });
});
