import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../backend';
import { NntkError } from '../errors';
import { loadTfjsRegistrations } from './load-tfjs-registrations';
import { RegistrationLoader } from './registration-loader';
import { TfjsModuleGraph } from './tfjs-module-graph';

const tfjsDist = `${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-core'))}/`;

describe('loadTfjsRegistrations', () => {
  beforeAll(() => useBackend('cpu'));

  it("registers every chained method of tfjs-core's chained_ops files on the app's Tensor class", () => {
    // The test set-up (vitest.config.ts) ran it, as `import '@nntk/core'` does.
    const dir = join(tfjsDist, 'public/chained_ops');
    const methods = readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) =>
        [...readFileSync(join(dir, f), 'utf8').matchAll(/prototype\.(\w+) = function/g)].map((m) => m[1]),
      );
    expect(methods.length).toBeGreaterThan(100);
    expect(methods.filter((m) => typeof Reflect.get(tf.Tensor.prototype, m) !== 'function')).toEqual([]);
  });

  it("registers every gradient config of register_all_gradients.js in the app's registry", () => {
    const source = readFileSync(join(tfjsDist, 'register_all_gradients.js'), 'utf8');
    // Each file is named after its kernel: gradients/Conv2D_grad.js registers Conv2D's gradient.
    const kernels = [...source.matchAll(/from '\.\/gradients\/(\w+)_grad'/g)].map((m) => m[1]);
    expect(kernels.length).toBeGreaterThan(100);
    expect(kernels.filter((name) => tf.getGradient(name) === undefined)).toEqual([]);
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    // torch: max_pool2d(x, 2).sum().backward() routes the gradient to the maximum, 4.
    const grad = tf.grad((a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').sum())(x);
    expect(Array.from(grad.dataSync())).toEqual([0, 0, 0, 1]);
    tf.dispose([x, grad]);
  });

  it('runs once per process and installation', () => {
    expect(loadTfjsRegistrations(tf)).toEqual({ gradients: false, chainedOps: false });
  });
});

describe('RegistrationLoader', () => {
  const root = mkdtempSync(join(tmpdir(), 'nntk-fake-tfjs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A tfjs-like dist: a public base.js, an internal module, and a registration importing both. */
  function fakeDist(name: string, registration: string): string {
    const dist = join(root, name, 'dist/');
    mkdirSync(join(dist, 'ops'), { recursive: true });
    mkdirSync(join(dist, 'gradients'), { recursive: true });
    writeFileSync(
      join(dist, 'base.js'),
      "export { mul } from './ops/mul';\nimport * as util from './util';\nexport { util };\n",
    );
    writeFileSync(join(dist, 'ops/mul.js'), 'export function mul(a, b) { return a * b; }\n');
    writeFileSync(join(dist, 'util.js'), 'export const sizeFromShape = (s) => s.length;\n');
    writeFileSync(join(dist, 'internal.js'), 'export const secret = 1;\n');
    writeFileSync(
      join(dist, 'ops/double_grad.js'),
      "import { mul } from './mul';\nexport const doubleGrad = (x) => mul(x, 2);\n",
    );
    writeFileSync(join(dist, 'register_all_gradients.js'), registration);
    return dist;
  }

  const api = { mul: (a: number, b: number) => a * b + 0.5, util: { sizeFromShape: () => 7 } };

  it('evaluates registration files against the public API, not the files behind it', () => {
    const dist = fakeDist(
      'ok',
      [
        "import { doubleGrad } from './ops/double_grad';",
        "import { sizeFromShape as size } from './util';",
        "import * as util from './util';",
        'export const out = [doubleGrad(3), size([1]), util.sizeFromShape([])];',
        "export { doubleGrad as again } from './ops/double_grad';",
      ].join('\n'),
    );
    const exports = new RegistrationLoader(new TfjsModuleGraph(dist), api).load('register_all_gradients.js');
    // api.mul, api.util: the app's values (6.5, 7), not ops/mul.js's or util.js's.
    expect(exports.out).toEqual([6.5, 7, 7]);
    expect(typeof exports.again).toBe('function');
  });

  it('refuses a name the public API does not export, naming it', () => {
    const dist = fakeDist('internal', "import { secret } from './internal';\nexport const s = secret;\n");
    const load = () =>
      new RegistrationLoader(new TfjsModuleGraph(dist), api).load('register_all_gradients.js');
    expect(load).toThrow(NntkError);
    expect(load).toThrow(
      /register_all_gradients\.js: it has secret from internal\.js, which @tensorflow\/tfjs-core's public API does not export/,
    );
  });

  it('refuses an import it cannot evaluate', () => {
    const dist = fakeDist('bare', "import seedrandom from 'seedrandom';\nexport const s = seedrandom;\n");
    expect(() =>
      new RegistrationLoader(new TfjsModuleGraph(dist), api).load('register_all_gradients.js'),
    ).toThrow(/non-relative import of seedrandom/);
  });
});
